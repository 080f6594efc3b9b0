package dev.modeltally.format.onnx;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.ValueType;
import java.util.ArrayList;
import java.util.List;

/** Converts ONNX TypeProto/ValueInfoProto to IR values. */
final class OnnxTypes {

    private OnnxTypes() {
    }

    static Value value(OnnxProto.ValueInfoProto vi, Limits limits) throws CorruptModelException {
        OnnxProto.TypeProto type = vi.getType();
        if (type.hasTensorType()) {
            return tensorValue(vi.getName(), type.getTensorType().getElemType(), type.getTensorType().hasShape(),
                    type.getTensorType().getShape(), limits);
        }
        if (type.hasSparseTensorType()) {
            var t = type.getSparseTensorType();
            return tensorValue(vi.getName(), t.getElemType(), t.hasShape(), t.getShape(), limits);
        }
        ValueType container = container(type, limits, 0);
        if (container == null) {
            return new Value(vi.getName(), DType.UNDEFINED, Shape.unknownRank());
        }
        Shape shape = container instanceof ValueType.SequenceType ? new Shape(List.of(Dim.UNKNOWN)) : Shape.scalar();
        return new Value(vi.getName(), DType.UNDEFINED, shape, container);
    }

    /** A sequence, map or optional type; null for anything else (opaque, unset). Bounded nesting. */
    private static ValueType container(OnnxProto.TypeProto type, Limits limits, int depth) throws CorruptModelException {
        Limits.check("type nesting depth", depth, limits.maxSubgraphDepth(), "--max-subgraph-depth");
        if (type.hasSequenceType()) {
            ValueType e = element(type.getSequenceType().getElemType(), limits, depth);
            return e == null ? null : new ValueType.SequenceType(e);
        }
        if (type.hasMapType()) {
            ValueType v = element(type.getMapType().getValueType(), limits, depth);
            return v == null ? null : new ValueType.MapType(DType.fromCode(type.getMapType().getKeyType()), v);
        }
        if (type.hasOptionalType()) {
            ValueType e = element(type.getOptionalType().getElemType(), limits, depth);
            return e == null ? null : new ValueType.OptionalType(e);
        }
        return null;
    }

    private static ValueType element(OnnxProto.TypeProto type, Limits limits, int depth) throws CorruptModelException {
        if (type.hasTensorType()) {
            Value v = tensorValue("element", type.getTensorType().getElemType(), type.getTensorType().hasShape(),
                    type.getTensorType().getShape(), limits);
            return new ValueType.TensorType(v.dtype(), v.shape());
        }
        return container(type, limits, depth + 1);
    }

    private static Value tensorValue(String name, int elemType, boolean hasShape, OnnxProto.TensorShapeProto shape,
                                     Limits limits) throws CorruptModelException {
        if (!hasShape) {
            return new Value(name, DType.fromCode(elemType), Shape.unknownRank());
        }
        Limits.check("rank of '" + name + "'", shape.getDimCount(), limits.maxRank(), "--max-rank");
        List<Dim> dims = new ArrayList<>(shape.getDimCount());
        for (OnnxProto.TensorShapeProto.Dimension d : shape.getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims.add(Dim.symbol(d.getDimParam()));
            } else {
                dims.add(Dim.UNKNOWN);
            }
        }
        return new Value(name, DType.fromCode(elemType), new Shape(dims));
    }
}
