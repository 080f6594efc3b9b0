package dev.modeltally.format.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Source;
import dev.modeltally.format.SourceInput;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks an ONNX ModelProto field by field over a {@link Source}, through a buffered stream whose
 * skips move the offset without reading. Tensor data (raw_data and the typed data fields) is
 * skipped, recording only where it is; messages that are always small
 * (ValueInfoProto, OperatorSetIdProto, ...) are parsed with the generated classes.
 */
final class OnnxReader {

    private static final int MAX_NAME_BYTES = 64 * 1024;

    /** Metadata reads come in ranges this large; skipped tensor bytes are not read at all. */
    private static final int READ_BUFFER = 64 * 1024;

    private final Source source;
    private final Limits limits;
    private final TensorReader tensors;
    private final List<Finding> findings = new ArrayList<>();
    private int nodeCount;

    OnnxReader(Source source, Limits limits) {
        this.source = source;
        this.limits = limits;
        this.tensors = new TensorReader(limits, source::sibling);
    }

    Model read() throws IOException, ModelReadException {
        CodedInputStream in = CodedInputStream.newInstance(new SourceInput(source, 0, source.size()), READ_BUFFER);
        in.setSizeLimit(Integer.MAX_VALUE);
        in.setRecursionLimit(limits.maxSubgraphDepth() + 16);
        try {
            return readModel(in);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptModelException("malformed protobuf near byte " + in.getTotalBytesRead() + ": "
                    + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new CorruptModelException("graph nesting too deep near byte " + in.getTotalBytesRead());
        }
    }

    private Model readModel(CodedInputStream in) throws IOException, ModelReadException {
        long irVersion = -1;
        String producerName = "";
        String producerVersion = "";
        String domain = "";
        long modelVersion = -1;
        Graph graph = null;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> functions = new ArrayList<>();
        int trainingInfos = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (Wire.field(tag)) {
                case 1 -> irVersion = varint(in, tag);
                case 2 -> producerName = string(in, tag);
                case 3 -> producerVersion = string(in, tag);
                case 4 -> domain = string(in, tag);
                case 5 -> modelVersion = varint(in, tag);
                case 7 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    graph = graph(in, 0);
                }
                case 8 -> {
                    OnnxProto.OperatorSetIdProto op = OnnxProto.OperatorSetIdProto.parseFrom(small(in, tag));
                    opsets.put(op.getDomain().isEmpty() ? "ai.onnx" : op.getDomain(), op.getVersion());
                }
                case 14 -> {
                    OnnxProto.StringStringEntryProto e = OnnxProto.StringStringEntryProto.parseFrom(small(in, tag));
                    metadata.put(e.getKey(), e.getValue());
                }
                case 20 -> {
                    trainingInfos++;
                    Wire.skip(in, tag);
                }
                case 25 -> functions.add(function(in, tag));
                default -> Wire.skip(in, tag);
            }
        }
        if (graph == null) {
            throw new CorruptModelException("no graph in ModelProto");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        if (irVersion >= 0) {
            meta.put("ir_version", Long.toString(irVersion));
        }
        if (!domain.isEmpty()) {
            meta.put("domain", domain);
        }
        if (modelVersion >= 0) {
            meta.put("model_version", Long.toString(modelVersion));
        }
        if (!functions.isEmpty()) {
            meta.put("functions", String.join(",", functions));
        }
        if (trainingInfos > 0) {
            meta.put("training_info", Integer.toString(trainingInfos));
        }
        metadata.forEach((k, v) -> meta.put("metadata_props." + k, v));
        String producer = (producerName + " " + producerVersion).strip();
        Long defaultOpset = opsets.get("ai.onnx");
        findings.addAll(tensors.externalFindings());
        return new Model("onnx", producer, defaultOpset == null ? "" : Long.toString(defaultOpset), opsets, graph,
                meta, findings, true);
    }

    private Graph graph(CodedInputStream in, int depth) throws IOException, ModelReadException {
        Limits.check("subgraph nesting depth", depth, limits.maxSubgraphDepth(), "--max-subgraph-depth");
        int old = in.pushLimit(Wire.length(in));
        String name = "";
        List<Node> nodes = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        List<Value> valueInfo = new ArrayList<>();
        Map<String, Weight> weights = new LinkedHashMap<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (Wire.field(tag)) {
                case 1 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    Node node = node(in, depth);
                    nodes.add(node);
                    Weight constant = constantValue(node);
                    if (constant != null) {
                        weights.putIfAbsent(constant.name(), constant);
                    }
                }
                case 2 -> name = string(in, tag);
                case 5 -> addWeight(weights, tensors.tensor(in, tag, Weight.Role.INITIALIZER), name);
                case 15 -> addWeight(weights, tensors.sparse(in, tag), name);
                case 11 -> inputs.add(valueInfo(in, tag));
                case 12 -> outputs.add(valueInfo(in, tag));
                case 13 -> valueInfo.add(valueInfo(in, tag));
                default -> Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new Graph(name, inputs, outputs, nodes, weights, valueInfo);
    }

    private void addWeight(Map<String, Weight> weights, Weight w, String graphName) {
        Weight previous = weights.putIfAbsent(w.name(), w);
        if (previous != null) {
            findings.add(Finding.warning("duplicate-initializer",
                    "initializer '" + w.name() + "' is defined twice" + (graphName.isEmpty() ? "" : " in graph '"
                            + graphName + "'") + "; the first is used", w.name()));
        }
    }

    /** The tensor a Constant node produces, as a weight named by its output. */
    private static Weight constantValue(Node node) {
        if (!node.opType().equals("Constant") || !node.isDefaultDomain() || node.outputs().isEmpty()) {
            return null;
        }
        for (Object v : node.attrs().values().values()) {
            if (v instanceof Weight w) {
                return new Weight(node.outputs().get(0), w.dtype(), w.shape(), Weight.Role.CONSTANT_NODE, false,
                        w.storage(), w.intValues(), w.floatValues());
            }
        }
        return ScalarConstants.fromAttributes(node);
    }

    private Node node(CodedInputStream in, int depth) throws IOException, ModelReadException {
        nodeCount++;
        Limits.check("node count", nodeCount, limits.maxNodes(), "--max-nodes");
        int old = in.pushLimit(Wire.length(in));
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        Map<String, Object> attrs = new LinkedHashMap<>();
        List<Graph> subgraphs = new ArrayList<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (Wire.field(tag)) {
                case 1 -> inputs.add(string(in, tag));
                case 2 -> outputs.add(string(in, tag));
                case 3 -> name = string(in, tag);
                case 4 -> opType = string(in, tag);
                case 7 -> domain = string(in, tag);
                case 5 -> {
                    Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    new AttributeReader(this, in, depth).read(attrs, subgraphs);
                }
                default -> Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        if (opType.isEmpty()) {
            throw new CorruptModelException("node '" + name + "' has no op_type");
        }
        return new Node(name, opType, domain, inputs, outputs, new Attributes(attrs), subgraphs);
    }

    /** Parses a nested GraphProto for an attribute; called by {@link AttributeReader}. */
    Graph subgraph(CodedInputStream in, int depth) throws IOException, ModelReadException {
        return graph(in, depth);
    }

    TensorReader tensors() {
        return tensors;
    }

    Limits limits() {
        return limits;
    }

    private String function(CodedInputStream in, int tag) throws IOException, ModelReadException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int old = in.pushLimit(Wire.length(in));
        String name = "";
        String domain = "";
        while (true) {
            int t = in.readTag();
            if (t == 0) {
                break;
            }
            switch (Wire.field(t)) {
                case 1 -> name = string(in, t);
                case 10 -> domain = string(in, t);
                default -> Wire.skip(in, t);
            }
        }
        in.popLimit(old);
        return domain.isEmpty() ? name : domain + ":" + name;
    }

    private Value valueInfo(CodedInputStream in, int tag) throws IOException, ModelReadException {
        OnnxProto.ValueInfoProto vi = OnnxProto.ValueInfoProto.parseFrom(small(in, tag));
        return OnnxTypes.value(vi, limits);
    }

    /** The bytes of a length-delimited field expected to be small (bounded by the string limit). */
    private byte[] small(CodedInputStream in, int tag) throws IOException, ModelReadException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int len = Wire.length(in);
        Limits.check("metadata field size", len, limits.maxStringBytes(), "--max-string-bytes");
        return in.readRawBytes(len);
    }

    static long varint(CodedInputStream in, int tag) throws IOException, CorruptModelException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_VARINT);
        return in.readInt64();
    }

    static String string(CodedInputStream in, int tag) throws IOException, CorruptModelException {
        Wire.expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return Wire.string(in, MAX_NAME_BYTES);
    }
}
