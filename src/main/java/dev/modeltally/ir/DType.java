package dev.modeltally.ir;

/**
 * Element types, numbered as ONNX's {@code TensorProto.DataType}. Keras/HDF5 types map onto the
 * same names so that reports read the same for every format.
 */
public enum DType {
    UNDEFINED(0, 0, Kind.OTHER),
    FLOAT(1, 32, Kind.FLOATING),
    UINT8(2, 8, Kind.LOW_BIT_INT),
    INT8(3, 8, Kind.LOW_BIT_INT),
    UINT16(4, 16, Kind.INT),
    INT16(5, 16, Kind.INT),
    INT32(6, 32, Kind.INT),
    INT64(7, 64, Kind.INT),
    STRING(8, 0, Kind.OTHER),
    BOOL(9, 8, Kind.OTHER),
    FLOAT16(10, 16, Kind.FLOATING),
    DOUBLE(11, 64, Kind.FLOATING),
    UINT32(12, 32, Kind.INT),
    UINT64(13, 64, Kind.INT),
    COMPLEX64(14, 64, Kind.OTHER),
    COMPLEX128(15, 128, Kind.OTHER),
    BFLOAT16(16, 16, Kind.FLOATING),
    FLOAT8E4M3FN(17, 8, Kind.FLOATING),
    FLOAT8E4M3FNUZ(18, 8, Kind.FLOATING),
    FLOAT8E5M2(19, 8, Kind.FLOATING),
    FLOAT8E5M2FNUZ(20, 8, Kind.FLOATING),
    UINT4(21, 4, Kind.LOW_BIT_INT),
    INT4(22, 4, Kind.LOW_BIT_INT),
    FLOAT4E2M1(23, 4, Kind.FLOATING),
    FLOAT8E8M0(24, 8, Kind.FLOATING),
    UINT2(25, 2, Kind.LOW_BIT_INT),
    INT2(26, 2, Kind.LOW_BIT_INT),
    FLOAT6E2M3(27, 6, Kind.FLOATING),
    FLOAT6E3M2(28, 6, Kind.FLOATING);

    /** What a tensor of this type usually is: learned values, quantized weights, or plain data. */
    public enum Kind { FLOATING, LOW_BIT_INT, INT, OTHER }

    private static final DType[] BY_CODE = new DType[29];
    static {
        for (DType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int bits;
    private final Kind kind;

    DType(int code, int bits, Kind kind) {
        this.code = code;
        this.bits = bits;
        this.kind = kind;
    }

    /** The ONNX {@code TensorProto.DataType} number. */
    public int code() {
        return code;
    }

    /** Bits per element; 0 where the size is not fixed (STRING, UNDEFINED). */
    public int bits() {
        return bits;
    }

    public Kind kind() {
        return kind;
    }

    /** Floating point or a low-bit integer type (INT8, UINT8, INT4, ...): what quantized weights use. */
    public boolean isWeightType() {
        return kind == Kind.FLOATING || kind == Kind.LOW_BIT_INT;
    }

    public boolean isInteger() {
        return kind == Kind.INT || kind == Kind.LOW_BIT_INT;
    }

    /** The type for an ONNX code, or UNDEFINED for a code this build does not know. */
    public static DType fromCode(long code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[(int) code] != null) {
            return BY_CODE[(int) code];
        }
        return UNDEFINED;
    }

    /** The type a Keras dtype name ("float32", "int64", "string", ...) stands for; UNDEFINED for null or another name. */
    public static DType fromKerasName(String name) {
        if (name == null) {
            return UNDEFINED;
        }
        return switch (name) {
            case "float32" -> FLOAT;
            case "float16" -> FLOAT16;
            case "bfloat16" -> BFLOAT16;
            case "float64" -> DOUBLE;
            case "int8" -> INT8;
            case "uint8" -> UINT8;
            case "int16" -> INT16;
            case "uint16" -> UINT16;
            case "int32" -> INT32;
            case "uint32" -> UINT32;
            case "int64" -> INT64;
            case "uint64" -> UINT64;
            case "bool" -> BOOL;
            case "string" -> STRING;
            default -> UNDEFINED;
        };
    }

    /** Bytes that {@code elements} values of this type occupy when densely packed, rounded up. */
    public long bytesFor(long elements) {
        return Math.addExact(Math.multiplyExact(elements, (long) bits), 7L) / 8L;
    }
}
