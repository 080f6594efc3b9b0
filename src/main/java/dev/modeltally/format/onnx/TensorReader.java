package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.ExternalFiles;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.ElementCountOverflowException;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads TensorProto and SparseTensorProto headers: name, dims, dtype and where the data is. Data
 * fields are skipped; only integer tensors of at most {@link #MAX_INT_VALUES} elements are decoded,
 * because shape arithmetic (Reshape targets, axes) needs their values.
 */
final class TensorReader {

    static final int MAX_INT_VALUES = 1024;
    /** FLOAT/DOUBLE tensors this small (Resize scales, scalar constants) have their values decoded. */
    static final int MAX_FLOAT_VALUES = 64;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    /** Data fields this short are read during the walk (small shape and scale tensors are decoded). */
    private static final int MAX_CAPTURED_BYTES = MAX_INT_VALUES * 10 + 16;

    private final Limits limits;
    private final java.util.function.Function<String, ExternalFiles.Check> externalFiles;
    /** Per external location: tensors and bytes referring to it, and the worst status seen. */
    private final Map<String, ExternalUse> externalUses = new LinkedHashMap<>();

    private static final class ExternalUse {
        ExternalFiles.Check check;
        String tooShort;
        int tensors;
        long bytes;
    }

    /** {@code externalFiles} checks an external data location by metadata ({@code Source.sibling}). */
    TensorReader(Limits limits, java.util.function.Function<String, ExternalFiles.Check> externalFiles) {
        this.limits = limits;
        this.externalFiles = externalFiles;
    }

    Weight tensor(CodedInputStream in, int tag, Weight.Role role) throws IOException, ModelReadException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int old = in.pushLimit(Wire.length(in));
        Weight w = tensorBody(in, role);
        in.popLimit(old);
        return w;
    }

    private Weight tensorBody(CodedInputStream in, Weight.Role role) throws IOException, ModelReadException {
        List<Long> dims = new ArrayList<>();
        long dtypeCode = 0;
        String name = "";
        long dataOffset = -1;
        long dataLength = 0;
        int rawField = 0;
        int dataLocation = 0;
        int dataFields = 0;
        ByteBuffer captured = null;
        Map<String, String> external = new LinkedHashMap<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = Wire.field(tag);
            switch (field) {
                case 1 -> Wire.ints(in, tag, dims.size(), limits.maxRank(), "tensor dims (--max-rank)", dims::add);
                case 2 -> dtypeCode = OnnxReader.varint(in, tag);
                case 8 -> name = OnnxReader.string(in, tag);
                case 14 -> dataLocation = (int) OnnxReader.varint(in, tag);
                case 13 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    int len = Wire.length(in);
                    Limits.check("external_data entry size", len, limits.maxStringBytes(), "--max-string-bytes");
                    var e = dev.modeltally.format.onnx.proto.OnnxProto.StringStringEntryProto.parseFrom(
                            in.readRawBytes(len));
                    external.put(e.getKey(), e.getValue());
                }
                case 4, 5, 6, 7, 9, 10, 11 -> {
                    // Data: note where it is, never read it.
                    int before = in.getTotalBytesRead();
                    if (Wire.type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int len = Wire.length(in);
                        int start = in.getTotalBytesRead();
                        if (len <= MAX_CAPTURED_BYTES) {
                            captured = ByteBuffer.wrap(in.readRawBytes(len)).order(ByteOrder.LITTLE_ENDIAN);
                        } else {
                            in.skipRawBytes(len);
                        }
                        if (dataOffset < 0) {
                            dataOffset = start;
                        }
                        dataLength += len;
                    } else {
                        Wire.skip(in, tag);
                        if (dataOffset < 0) {
                            dataOffset = before;
                        }
                        dataLength += in.getTotalBytesRead() - before;
                    }
                    rawField = field;
                    dataFields++;
                }
                default -> Wire.skip(in, tag);
            }
        }
        for (long d : dims) {
            if (d < 0) {
                throw new CorruptModelException("tensor '" + name + "' has negative dimension " + d);
            }
        }
        DType dtype = DType.fromCode(dtypeCode);
        Shape shape = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
        Storage storage;
        if (dataLocation == DATA_LOCATION_EXTERNAL) {
            storage = externalStorage(name, dtype, shape, external);
        } else if (dataOffset >= 0) {
            storage = new Storage.Inline(dataOffset, dataLength);
        } else {
            storage = emptyOrAbsent(shape);
        }
        // The walk kept the bytes of one short LEN data field; anything else has no decodable values.
        ByteBuffer inline = dataFields == 0 ? ByteBuffer.allocate(0) : dataFields == 1 ? captured : null;
        List<Long> ints = smallInts(dtype, shape, storage, rawField, inline);
        List<Double> floats = tinyFloats(dtype, shape, storage, rawField, inline);
        return new Weight(name, dtype, shape, role, true, storage, ints, floats);
    }

    Weight sparse(CodedInputStream in, int tag) throws IOException, ModelReadException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int old = in.pushLimit(Wire.length(in));
        Weight values = null;
        List<Long> dims = new ArrayList<>();
        while (true) {
            int t = in.readTag();
            if (t == 0) {
                break;
            }
            switch (Wire.field(t)) {
                case 1 -> values = tensor(in, t, Weight.Role.SPARSE_INITIALIZER);
                case 3 -> Wire.ints(in, t, dims.size(), limits.maxRank(), "sparse tensor dims (--max-rank)", dims::add);
                default -> Wire.skip(in, t);
            }
        }
        in.popLimit(old);
        if (values == null) {
            throw new CorruptModelException("sparse initializer without values");
        }
        for (long d : dims) {
            if (d < 0) {
                throw new CorruptModelException("sparse tensor '" + values.name() + "' has negative dimension " + d);
            }
        }
        Shape dense = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
        return new Weight(values.name(), values.dtype(), dense, Weight.Role.SPARSE_INITIALIZER, true,
                values.storage(), null);
    }

    private static Storage emptyOrAbsent(Shape shape) {
        try {
            OptionalLong n = shape.elementCount();
            if (n.isPresent() && n.getAsLong() == 0) {
                return new Storage.Inline(0, 0);
            }
        } catch (ElementCountOverflowException e) {
            // reported by the parameter count
        }
        return new Storage.Absent();
    }

    private Storage externalStorage(String name, DType dtype, Shape shape, Map<String, String> entries)
            throws CorruptModelException {
        String location = entries.getOrDefault("location", "");
        long offset = parseLong(entries.get("offset"), 0, name);
        long length = parseLong(entries.get("length"), -1, name);
        long expected = length;
        if (expected < 0) {
            try {
                OptionalLong n = shape.elementCount();
                expected = n.isPresent() && dtype.bits() > 0 ? dtype.bytesFor(n.getAsLong()) : -1;
            } catch (ArithmeticException e) {
                expected = -1;
            }
        }
        ExternalFiles.Check check = externalFiles.apply(location);
        ExternalUse use = externalUses.computeIfAbsent(location, k -> new ExternalUse());
        use.check = check;
        use.tensors++;
        if (expected > 0) {
            use.bytes = saturatingAdd(use.bytes, expected);
        }
        Storage.ExternalStatus status = switch (check.status()) {
            case PRESENT -> Storage.ExternalStatus.PRESENT;
            case MISSING -> Storage.ExternalStatus.MISSING;
            case OUTSIDE_FOLDER, UNSAFE_FILE -> Storage.ExternalStatus.REFUSED;
        };
        String detail = check.detail();
        if (status == Storage.ExternalStatus.PRESENT && expected >= 0
                && (offset > check.size() || expected > check.size() - offset)) {
            status = Storage.ExternalStatus.TOO_SHORT;
            detail = "tensor '" + name + "' needs bytes " + offset + ".." + saturatingAdd(offset, expected)
                    + " but the file has " + check.size();
            if (use.tooShort == null) {
                use.tooShort = detail;
            }
        }
        return new Storage.External(location, offset, length, status, detail);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long parseLong(String s, long fallback, String tensor) throws CorruptModelException {
        if (s == null || s.isEmpty()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(s.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CorruptModelException("tensor '" + tensor + "' has an invalid external data offset/length '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
        }
    }

    /** A small tensor's inline bytes (little-endian view) and element count. */
    private record InlineData(long elements, ByteBuffer bytes) {
    }

    /** The inline bytes of a tensor of at most {@code max} known elements, or null. */
    private static InlineData inlineData(Shape shape, Storage storage, long max, ByteBuffer bytes) {
        if (!(storage instanceof Storage.Inline) || bytes == null) {
            return null;
        }
        long n;
        try {
            n = shape.elementCount().orElse(-1);
        } catch (ArithmeticException e) {
            return null;
        }
        if (n < 0 || n > max) {
            return null;
        }
        return new InlineData(n, bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Decodes INT64/INT32/BOOL tensors of at most MAX_INT_VALUES elements stored inline. */
    private static List<Long> smallInts(DType dtype, Shape shape, Storage storage, int field, ByteBuffer bytes) {
        boolean bool = dtype == DType.BOOL;
        if (dtype != DType.INT64 && dtype != DType.INT32 && !bool) {
            return null;
        }
        InlineData d = inlineData(shape, storage, MAX_INT_VALUES, bytes);
        if (d == null) {
            return null;
        }
        long n = d.elements();
        ByteBuffer b = d.bytes();
        List<Long> out = new ArrayList<>((int) n);
        try {
            if (field == 9) { // raw_data, little-endian
                int width = bool ? 1 : dtype == DType.INT64 ? 8 : 4;
                if (b.remaining() != n * width) {
                    return null;
                }
                for (int i = 0; i < n; i++) {
                    out.add(width == 8 ? b.getLong() : width == 4 ? (long) b.getInt() : (long) (b.get() != 0 ? 1 : 0));
                }
            } else if (field == 7 || field == 5) { // int64_data / int32_data, packed varints
                CodedInputStream c = CodedInputStream.newInstance(b);
                while (!c.isAtEnd()) {
                    out.add(c.readInt64());
                }
                if (out.size() != n) {
                    return null;
                }
            } else if (n == 0) {
                return out;
            } else {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out;
    }

    /** Decodes FLOAT/DOUBLE tensors of at most MAX_FLOAT_VALUES elements stored inline. */
    private static List<Double> tinyFloats(DType dtype, Shape shape, Storage storage, int field, ByteBuffer bytes) {
        boolean rawOrTyped = field == 9 || (dtype == DType.FLOAT ? field == 4 : field == 10);
        if ((dtype != DType.FLOAT && dtype != DType.DOUBLE) || !rawOrTyped) {
            return null;
        }
        InlineData d = inlineData(shape, storage, MAX_FLOAT_VALUES, bytes);
        int width = dtype == DType.FLOAT ? 4 : 8;
        if (d == null || d.elements() == 0 || d.bytes().remaining() != d.elements() * width) {
            return null; // packed fixed-width either way: raw_data and float_data/double_data alike
        }
        long n = d.elements();
        ByteBuffer b = d.bytes();
        List<Double> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(width == 4 ? (double) b.getFloat() : b.getDouble());
        }
        return out;
    }

    /** One finding per external data file that is not fully usable. */
    List<Finding> externalFindings() {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, ExternalUse> e : externalUses.entrySet()) {
            ExternalUse u = e.getValue();
            String what = u.tensors + " tensor" + (u.tensors == 1 ? "" : "s") + ", "
                    + String.format("%,d", u.bytes) + " bytes";
            String loc = e.getKey();
            switch (u.check.status()) {
                case MISSING -> out.add(Finding.warning("external-data-missing",
                        "external data file '" + loc + "' is missing (" + what
                                + "); counts come from tensor metadata", loc));
                case OUTSIDE_FOLDER -> out.add(Finding.error("external-data-outside-folder",
                        "external data location '" + loc + "' refused, never opened: " + u.check.detail()
                                + " (" + what + ")", loc));
                case UNSAFE_FILE -> out.add(Finding.error("external-data-unsafe-file",
                        "external data file '" + loc + "' refused, never opened: " + u.check.detail()
                                + " (" + what + ")", loc));
                case PRESENT -> {
                    if (u.tooShort != null) {
                        out.add(Finding.warning("external-data-size-mismatch",
                                "external data file '" + loc + "' is too short: " + u.tooShort, loc));
                    }
                }
            }
        }
        return out;
    }
}
