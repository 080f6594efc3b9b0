package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts an ONNX ValueInfoProto (with its TypeProto) to an IR value, decoding the wire format
 * directly as {@code OnnxProto.ValueInfoProto.parseFrom} would (last scalar wins, repeated and
 * sub-message fields merge, a field with an unexpected wire type is skipped as unknown; a oneof member
 * seen again after another member starts afresh, as the encoding spec says): the generated classes'
 * static initialiser builds the descriptors of the whole schema, tens of milliseconds of every start,
 * for three small message types. Sequence, map and optional types become {@link ValueType}s.
 */
final class OnnxTypes {

    private OnnxTypes() {
    }

    /** A field's tag: its number and wire type. */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** TypeProto oneof cases we distinguish (their field numbers). */
    private static final int NONE = 0;
    private static final int TENSOR = 1;
    private static final int SEQUENCE = 4;
    private static final int MAP = 5;
    private static final int SPARSE_TENSOR = 8;
    private static final int OPTIONAL = 9;
    private static final int OTHER = -1;

    /** What a TensorProto.tensor_type or sparse_tensor_type says. */
    private static final class TensorType {
        int elemType;
        boolean hasShape;
        final List<Dim> dims = new ArrayList<>();
    }

    /** What a TypeProto says: a tensor, or a sequence / map / optional of another type. */
    private static final class TypeInfo {
        int typeCase = NONE;
        TensorType tensor;
        TypeInfo element;   // sequence and optional elements, map values
        int keyType;
    }

    static Value value(byte[] valueInfo, Limits limits) throws IOException, CorruptModelException {
        CodedInputStream in = CodedInputStream.newInstance(valueInfo);
        String name = "";
        TypeInfo type = new TypeInfo();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                name = new String(in.readByteArray(), StandardCharsets.UTF_8);
            } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                typeProto(in, type, limits, 0);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        if (type.typeCase == TENSOR || type.typeCase == SPARSE_TENSOR) {
            return tensorValue(name, type.tensor, limits);
        }
        ValueType container = container(type, limits);
        if (container == null) {
            return new Value(name, DType.UNDEFINED, Shape.unknownRank());
        }
        Shape shape = container instanceof ValueType.SequenceType ? new Shape(List.of(Dim.UNKNOWN)) : Shape.scalar();
        return new Value(name, DType.UNDEFINED, shape, container);
    }

    private static Value tensorValue(String name, TensorType tensor, Limits limits) throws CorruptModelException {
        if (!tensor.hasShape) {
            return new Value(name, DType.fromCode(tensor.elemType), Shape.unknownRank());
        }
        Limits.check("rank of '" + name + "'", tensor.dims.size(), limits.maxRank(), "--max-rank");
        return new Value(name, DType.fromCode(tensor.elemType), new Shape(tensor.dims));
    }

    /** A sequence, map or optional type; null for anything else (opaque, unset, an unknown element). */
    private static ValueType container(TypeInfo type, Limits limits) throws CorruptModelException {
        switch (type.typeCase) {
            case SEQUENCE: {
                ValueType e = element(type.element, limits);
                return e == null ? null : new ValueType.SequenceType(e);
            }
            case MAP: {
                ValueType v = element(type.element, limits);
                return v == null ? null : new ValueType.MapType(DType.fromCode(type.keyType), v);
            }
            case OPTIONAL: {
                ValueType e = element(type.element, limits);
                return e == null ? null : new ValueType.OptionalType(e);
            }
            default:
                return null;
        }
    }

    private static ValueType element(TypeInfo type, Limits limits) throws CorruptModelException {
        if (type == null) {
            return null;
        }
        if (type.typeCase == TENSOR || type.typeCase == SPARSE_TENSOR) {
            Value v = tensorValue("element", type.tensor, limits);
            return new ValueType.TensorType(v.dtype(), v.shape());
        }
        return container(type, limits);
    }

    /**
     * Merges one length-delimited TypeProto into {@code into}; nesting (sequence of map of ...) is
     * bounded by --max-subgraph-depth.
     */
    private static void typeProto(CodedInputStream in, TypeInfo into, Limits limits, int depth)
            throws IOException, CorruptModelException {
        Limits.check("type nesting depth", depth, limits.maxSubgraphDepth(), "--max-subgraph-depth");
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
            int t = in.readTag();
            if (t == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(t);
            boolean message = WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            if (message && (field == TENSOR || field == SPARSE_TENSOR)) {
                if (into.typeCase != field) {
                    into.typeCase = field;
                    into.tensor = new TensorType();
                    into.element = null;
                }
                tensorType(in, into.tensor);
            } else if (message && (field == SEQUENCE || field == OPTIONAL || field == MAP)) {
                if (into.typeCase != field) {
                    into.typeCase = field;
                    into.tensor = null;
                    into.element = new TypeInfo();
                }
                wrapped(in, into, field == MAP, limits, depth);
            } else if (message && field == 7) {
                into.typeCase = OTHER;
                into.tensor = null;
                into.element = null;
                in.skipField(t);
            } else if (!in.skipField(t)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        in.popLimit(old);
    }

    /** Sequence.elem_type / Optional.elem_type (field 1), or Map.key_type (1, varint) and value_type (2). */
    private static void wrapped(CodedInputStream in, TypeInfo into, boolean map, Limits limits, int depth)
            throws IOException, CorruptModelException {
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
            int t = in.readTag();
            if (t == 0) {
                break;
            }
            if (map && t == tag(1, WireFormat.WIRETYPE_VARINT)) {
                into.keyType = in.readInt32();
            } else if (t == tag(map ? 2 : 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                typeProto(in, into.element, limits, depth + 1);
            } else if (!in.skipField(t)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        in.popLimit(old);
    }

    private static void tensorType(CodedInputStream in, TensorType into) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_VARINT)) {
                into.elemType = in.readInt32();
            } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                into.hasShape = true;
                shape(in, into.dims);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        in.popLimit(old);
    }

    /** Appends a TensorShapeProto's dims: a dim_value of 0 or more, a non-empty dim_param, else unknown. */
    private static void shape(CodedInputStream in, List<Dim> dims) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                dims.add(dimension(in));
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        in.popLimit(old);
    }

    /** One Dimension: its oneof {dim_value = 1, dim_param = 2}, the last one given winning. */
    private static Dim dimension(CodedInputStream in) throws IOException {
        int old = in.pushLimit(in.readRawVarint32());
        Long value = null;
        String param = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_VARINT)) {
                value = in.readInt64();
                param = null;
            } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                param = new String(in.readByteArray(), StandardCharsets.UTF_8);
                value = null;
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        in.popLimit(old);
        if (value != null && value >= 0) {
            return Dim.of(value);
        }
        if (param != null && !param.isEmpty()) {
            return Dim.symbol(param);
        }
        return Dim.UNKNOWN;
    }

    /** An OperatorSetIdProto as (domain, version), or a StringStringEntryProto as (key, value). */
    record Pair(String first, long number, String second) {
    }

    static Pair operatorSet(byte[] bytes) throws IOException {
        return pair(bytes, false);
    }

    static Pair stringEntry(byte[] bytes) throws IOException {
        return pair(bytes, true);
    }

    /** Field 1 a string; field 2 a string ({@code strings}) or an int64. */
    private static Pair pair(byte[] bytes, boolean strings) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String first = "";
        String second = "";
        long number = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                first = new String(in.readByteArray(), StandardCharsets.UTF_8);
            } else if (strings && tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                second = new String(in.readByteArray(), StandardCharsets.UTF_8);
            } else if (!strings && tag == tag(2, WireFormat.WIRETYPE_VARINT)) {
                number = in.readInt64();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        return new Pair(first, number, second);
    }
}
