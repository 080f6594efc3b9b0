package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
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
                case 7 -> list = floats(tag, list);
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
            attrs.put(name, single != null ? single : list != null ? list : List.of());
        }
    }

    private List<Object> floats(int tag, List<Object> list) throws IOException, CorruptModelException {
        List<Object> target = list == null ? new ArrayList<>() : list;
        if (Wire.type(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int len = Wire.length(in);
            checkSize(target.size() + len / 4L);
            int old = in.pushLimit(len);
            while (!in.isAtEnd()) {
                target.add((double) in.readFloat());
            }
            in.popLimit(old);
        } else {
            Wire.expect(in, tag, WireFormat.WIRETYPE_FIXED32);
            checkSize(target.size());
            target.add((double) in.readFloat());
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
