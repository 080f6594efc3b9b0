package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/** Low-level protobuf wire helpers for walking ONNX messages without materialising them. */
final class Wire {

    private Wire() {
    }

    static int field(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    static int type(int tag) {
        return WireFormat.getTagWireType(tag);
    }

    /** Reads a length prefix and checks it fits the remaining input. */
    static int length(CodedInputStream in) throws IOException, CorruptModelException {
        int len = in.readRawVarint32();
        if (len < 0 || len > in.getBytesUntilLimit() && in.getBytesUntilLimit() >= 0) {
            throw new CorruptModelException("length " + len + " runs past the end of its message at byte "
                    + in.getTotalBytesRead());
        }
        return len;
    }

    /** A length-delimited string, at most {@code max} bytes (longer ones are skipped and elided). */
    static String string(CodedInputStream in, int max) throws IOException, CorruptModelException {
        int len = length(in);
        if (len > max) {
            in.skipRawBytes(len);
            return "<" + len + " bytes>";
        }
        return new String(in.readRawBytes(len), StandardCharsets.UTF_8);
    }

    /**
     * A repeated integer field, packed or not; each element goes to {@code sink}. {@code already} is
     * how many elements the sink holds; more than {@code max} in all is an error (a hostile file
     * could otherwise pack millions of values into one field).
     */
    static void ints(CodedInputStream in, int tag, long already, long max, String what, LongConsumer sink)
            throws IOException, CorruptModelException {
        long count = already;
        if (type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(length(in));
            while (!in.isAtEnd()) {
                if (++count > max) {
                    throw new CorruptModelException(what + " has more than " + max + " values at byte "
                            + in.getTotalBytesRead());
                }
                sink.accept(in.readInt64());
            }
            in.popLimit(old);
        } else if (type(tag) == WireFormat.WIRETYPE_VARINT) {
            if (++count > max) {
                throw new CorruptModelException(what + " has more than " + max + " values at byte "
                        + in.getTotalBytesRead());
            }
            sink.accept(in.readInt64());
        } else {
            throw new CorruptModelException("integer field " + field(tag) + " has wire type " + type(tag)
                    + " at byte " + in.getTotalBytesRead());
        }
    }

    /** Skips a field of any wire type. */
    static void skip(CodedInputStream in, int tag) throws IOException, CorruptModelException {
        if (type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            in.skipRawBytes(length(in));
        } else if (!in.skipField(tag)) {
            throw new CorruptModelException("unexpected end-group tag at byte " + in.getTotalBytesRead());
        }
    }

    static void expect(CodedInputStream in, int tag, int wireType) throws CorruptModelException {
        if (type(tag) != wireType) {
            throw new CorruptModelException("field " + field(tag) + " has wire type " + type(tag) + ", expected "
                    + wireType + " at byte " + in.getTotalBytesRead());
        }
    }
}
