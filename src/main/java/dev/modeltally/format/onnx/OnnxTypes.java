package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
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
 * for three small message types.
 */
final class OnnxTypes {

    private OnnxTypes() {
    }

    /** A field's tag: its number and wire type. */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** TypeProto oneof cases we distinguish. */
    private static final int NONE = 0;
    private static final int TENSOR = 1;
    private static final int SPARSE_TENSOR = 8;
    private static final int OTHER = -1;

    /** What a TypeProto's tensor_type or sparse_tensor_type says. */
    private static final class TensorType {
        int elemType;
        boolean hasShape;
        final List<Dim> dims = new ArrayList<>();
    }

    static Value value(byte[] valueInfo, Limits limits) throws IOException, CorruptModelException {
        CodedInputStream in = CodedInputStream.newInstance(valueInfo);
        String name = "";
        int typeCase = NONE;
        TensorType tensor = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                name = new String(in.readByteArray(), StandardCharsets.UTF_8);
            } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int old = in.pushLimit(in.readRawVarint32());
                while (true) {
                    int t = in.readTag();
                    if (t == 0) {
                        break;
                    }
                    int field = WireFormat.getTagFieldNumber(t);
                    boolean message = WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                    if (message && (field == TENSOR || field == SPARSE_TENSOR)) {
                        if (typeCase != field) {
                            typeCase = field;
                            tensor = new TensorType();
                        }
                        tensorType(in, tensor);
                    } else if (message && (field == 4 || field == 5 || field == 7 || field == 9)) {
                        typeCase = OTHER;
                        tensor = null;
                        in.skipField(t);
                    } else if (!in.skipField(t)) {
                        break;
                    }
                }
                in.checkLastTagWas(0);
                in.popLimit(old);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        if (tensor == null) {
            return new Value(name, DType.UNDEFINED, Shape.unknownRank());
        }
        if (!tensor.hasShape) {
            return new Value(name, DType.fromCode(tensor.elemType), Shape.unknownRank());
        }
        Limits.check("rank of '" + name + "'", tensor.dims.size(), limits.maxRank(), "--max-rank");
        return new Value(name, DType.fromCode(tensor.elemType), new Shape(tensor.dims));
    }

    /** Merges a TypeProto.Tensor (or SparseTensor: same field numbers) into {@code into}. */
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
