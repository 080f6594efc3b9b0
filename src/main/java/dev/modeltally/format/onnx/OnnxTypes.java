package dev.modeltally.format.onnx;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
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
        return new Value(vi.getName(), DType.UNDEFINED, Shape.unknownRank());
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
