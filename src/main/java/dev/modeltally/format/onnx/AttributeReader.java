package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Weight;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one AttributeProto into a plain value: Long, Double, String, lists of those, a tensor's
 * {@link Weight} (metadata only), or a {@link Graph}. Subgraphs are also appended to the node's
 * subgraph list.
 */
final class AttributeReader {

    private static final int MAX_STRING_ATTRIBUTE = 1 << 16;
    static final int KEEP_FLOATS = 4096;

    private final OnnxReader reader;
    private final CodedInputStream in;
    private final int depth;

    AttributeReader(OnnxReader reader, CodedInputStream in, int depth) {
        this.reader = reader;
        this.in = in;
        this.depth = depth;
    }

    void read(Map<String, Object> attrs, List<Graph> subgraphs) throws IOException, ModelReadException {
        int len = Wire.length(in);
        int old = in.pushLimit(len);
        String name = "";
        Object single = null;
        List<Object> list = null;
        Object floatList = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (Wire.field(tag)) {
                case 1 -> name = OnnxReader.string(in, tag);
                case 2 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_FIXED32);
                    single = (double) in.readFloat();
                }
                case 3 -> single = OnnxReader.varint(in, tag);
                case 4 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    single = Wire.string(in, MAX_STRING_ATTRIBUTE);
                }
                case 5 -> single = reader.tensors().tensor(in, tag, Weight.Role.CONSTANT_NODE);
                case 22 -> single = reader.tensors().sparse(in, tag);
                case 6 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    Graph g = reader.subgraph(in, depth + 1);
                    subgraphs.add(g);
                    single = g;
                }
                case 7 -> floatList = floats(tag, floatList);
                case 8 -> {
                    List<Object> target = list == null ? new ArrayList<>() : list;
                    Wire.ints(in, tag, target.size(), maxListLength(), "attribute '" + name + "' (--max-attribute-bytes)",
                            target::add);
                    list = target;
                }
                case 9 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    list = list == null ? new ArrayList<>() : list;
                    checkSize(list.size());
                    list.add(Wire.string(in, MAX_STRING_ATTRIBUTE));
                }
                case 10 -> {
                    list = list == null ? new ArrayList<>() : list;
                    checkSize(list.size());
                    list.add(reader.tensors().tensor(in, tag, Weight.Role.CONSTANT_NODE));
                }
                case 11 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    list = list == null ? new ArrayList<>() : list;
                    checkSize(list.size());
                    Graph g = reader.subgraph(in, depth + 1);
                    subgraphs.add(g);
                    list.add(g);
                }
                default -> Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        if (!name.isEmpty()) {
            attrs.put(name, single != null ? single : floatList != null ? floatList : list != null ? list : List.of());
        }
    }

    /**
     * Float lists: kept as values up to {@link #KEEP_FLOATS} elements (scales, thresholds); a longer
     * packed list (ai.onnx.ml coefficients, support vectors, tree values) is skipped and kept as its
     * length only, so memory does not grow with learned values held in attributes.
     */
    private Object floats(int tag, Object previous) throws IOException, CorruptModelException {
        if (previous instanceof Attributes.Elements e) {
            if (Wire.type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int len = Wire.length(in);
                in.skipRawBytes(len);
                return new Attributes.Elements(e.count() + len / 4);
            }
            Wire.expect(in, tag, WireFormat.WIRETYPE_FIXED32);
            in.readFloat();
            return new Attributes.Elements(e.count() + 1);
        }
        @SuppressWarnings("unchecked")
        List<Object> target = previous == null ? new ArrayList<>() : (List<Object>) previous;
        if (Wire.type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int len = Wire.length(in);
            if (target.size() + len / 4L > KEEP_FLOATS) {
                in.skipRawBytes(len);
                return new Attributes.Elements(target.size() + len / 4L);
            }
            checkSize(target.size() + len / 4L);
            int old = in.pushLimit(len);
            while (!in.isAtEnd()) {
                target.add((double) in.readFloat());
            }
            in.popLimit(old);
        } else {
            Wire.expect(in, tag, WireFormat.WIRETYPE_FIXED32);
            double v = in.readFloat();
            if (target.size() >= KEEP_FLOATS) {
                return new Attributes.Elements(target.size() + 1L);
            }
            target.add(v);
        }
        return target;
    }

    private void checkSize(long elements) throws CorruptModelException {
        Limits.check("attribute list length", elements, maxListLength(), "--max-attribute-bytes");
    }

    private long maxListLength() {
        return reader.limits().maxAttributeBytes() / 8;
    }
}
