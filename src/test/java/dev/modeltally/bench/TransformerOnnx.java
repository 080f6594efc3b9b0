package dev.modeltally.bench;

import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.format.onnx.proto.OnnxProto.GraphProto;
import dev.modeltally.format.onnx.proto.OnnxProto.NodeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import dev.modeltally.testing.OnnxBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark input maker: a GPT-2-style decoder written the way the TorchScript exporter writes one
 * (decomposed LayerNorm and GELU, every view() target computed by Shape -> Gather -> Unsqueeze ->
 * Concat, a causal mask sliced by the sequence length, dynamic batch and sequence), 60 nodes per
 * layer. Weights are layout-only (external data that is not there). Usage:
 * {@code TransformerOnnx OUT.onnx [layers]}; 102 layers give 6,033 nodes.
 */
public final class TransformerOnnx {

    static final int D = 768;
    static final int HEADS = 12;
    static final int VOCAB = 50257;
    static final int CONTEXT = 1024;

    private final GraphProto.Builder g = GraphProto.newBuilder().setName("transformer");
    private int counter;

    private TransformerOnnx() {
    }

    public static void main(String[] args) throws IOException {
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 102;
        ModelProtoInfo info = write(Path.of(args[0]), layers);
        System.out.printf("wrote %s: %,d nodes, %,d initializers, %d layers%n", args[0], info.nodes(),
                info.initializers(), layers);
    }

    record ModelProtoInfo(int nodes, int initializers) {
    }

    static ModelProtoInfo write(Path out, int layers) throws IOException {
        TransformerOnnx t = new TransformerOnnx();
        t.build(layers);
        OnnxProto.ModelProto model = OnnxProto.ModelProto.newBuilder().setIrVersion(8)
                .setProducerName("modeltally-bench").setProducerVersion("1")
                .addOpsetImport(OnnxProto.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(t.g).build();
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(out)) {
            model.writeTo(o);
        }
        return new ModelProtoInfo(t.g.getNodeCount(), t.g.getInitializerCount());
    }

    private void build(int layers) {
        g.addInput(symbolic("input_ids", TensorProto.DataType.INT64_VALUE, "batch", "sequence"));
        weight("wte", VOCAB, D);
        weight("wpe", CONTEXT, D);
        ints("axis_last", -1);
        ints("zero_vec", 0);
        ints("zero_pair", 0, 0);
        ints("mask_axes", 2, 3);
        scalar("zero", 0);
        scalar("one", 1);
        floatScalar("eps", "two", "half", "gelu_c", "gelu_k", "one_f", "scale", "neg_inf");
        ints("qkv_split", D, D, D);
        ints("heads", HEADS);
        ints("head_dim", D / HEADS);
        ints("model_dim", D);
        external("mask", TensorProto.DataType.BOOL_VALUE, 1, 1, CONTEXT, CONTEXT);

        String shape = op("Shape", "input_ids");
        String seq = op("Gather", shape, "one");
        String pos = op("Range", "zero", seq, "one");
        String x = op("Add", op("Gather", "wte", "input_ids"), op("Gather", "wpe", pos));
        for (int i = 0; i < layers; i++) {
            x = block(x, "h." + i);
        }
        x = layerNorm(x, "ln_f");
        weight("lm_head", D, VOCAB);
        String logits = op("MatMul", x, "lm_head");
        g.addOutput(OnnxProto.ValueInfoProto.newBuilder().setName(logits));
    }

    private String block(String x, String p) {
        String h = layerNorm(x, p + ".ln_1");
        weight(p + ".attn.c_attn.weight", D, 3 * D);
        weight(p + ".attn.c_attn.bias", 3 * D);
        String qkv = op("Add", op("MatMul", h, p + ".attn.c_attn.weight"), p + ".attn.c_attn.bias");
        String[] parts = {next(), next(), next()};
        node("Split", new String[] {qkv, "qkv_split"}, parts, attr("axis", 2));
        String shape = op("Shape", h);
        String b = op("Unsqueeze", op("Gather", shape, "zero"), "zero_vec");
        String s = op("Unsqueeze", op("Gather", shape, "one"), "zero_vec");
        String heads = concat(b, s, "heads", "head_dim");
        String q = transpose(op("Reshape", parts[0], heads), 0, 2, 1, 3);
        String k = transpose(op("Reshape", parts[1], heads), 0, 2, 3, 1);
        String v = transpose(op("Reshape", parts[2], heads), 0, 2, 1, 3);
        String scores = op("Div", op("MatMul", q, k), "scale");
        String mask = op("Slice", "mask", "zero_pair", concat(s, s), "mask_axes"); // mask[:, :, :seq, :seq]
        String masked = op("Where", mask, scores, "neg_inf");
        String ctx = transpose(op("MatMul", op("Softmax", masked), v), 0, 2, 1, 3);
        String merged = op("Reshape", ctx, concat(b, s, "model_dim"));
        weight(p + ".attn.c_proj.weight", D, D);
        weight(p + ".attn.c_proj.bias", D);
        String attn = op("Add", op("MatMul", merged, p + ".attn.c_proj.weight"), p + ".attn.c_proj.bias");
        String x1 = op("Add", x, attn);
        String h2 = layerNorm(x1, p + ".ln_2");
        weight(p + ".mlp.c_fc.weight", D, 4 * D);
        weight(p + ".mlp.c_fc.bias", 4 * D);
        weight(p + ".mlp.c_proj.weight", 4 * D, D);
        weight(p + ".mlp.c_proj.bias", D);
        String fc = op("Add", op("MatMul", h2, p + ".mlp.c_fc.weight"), p + ".mlp.c_fc.bias");
        String act = gelu(fc);
        String mlp = op("Add", op("MatMul", act, p + ".mlp.c_proj.weight"), p + ".mlp.c_proj.bias");
        return op("Add", x1, mlp);
    }

    private String layerNorm(String x, String p) {
        weight(p + ".weight", D);
        weight(p + ".bias", D);
        String mean = op("ReduceMean", x, "axis_last");
        String centered = op("Sub", x, mean);
        String var = op("ReduceMean", op("Pow", centered, "two"), "axis_last");
        String norm = op("Div", centered, op("Sqrt", op("Add", var, "eps")));
        return op("Add", op("Mul", norm, p + ".weight"), p + ".bias");
    }

    /** tanh-approximated GELU as torch exports it: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    private String gelu(String x) {
        String cube = op("Mul", op("Mul", x, x), x);
        String inner = op("Mul", op("Add", x, op("Mul", cube, "gelu_c")), "gelu_k");
        return op("Mul", op("Mul", x, "half"), op("Add", op("Tanh", inner), "one_f"));
    }

    private String concat(String... parts) {
        return node("Concat", parts, new String[] {next()}, attr("axis", 0));
    }

    private String transpose(String x, long... perm) {
        OnnxProto.AttributeProto.Builder a = OnnxProto.AttributeProto.newBuilder().setName("perm")
                .setType(OnnxProto.AttributeProto.AttributeType.INTS);
        for (long p : perm) {
            a.addInts(p);
        }
        return node("Transpose", new String[] {x}, new String[] {next()}, a.build());
    }

    private String op(String type, String... inputs) {
        return node(type, inputs, new String[] {next()});
    }

    private String node(String type, String[] inputs, String[] outputs, OnnxProto.AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName("/" + type + "_" + g.getNodeCount());
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (OnnxProto.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return outputs[0];
    }

    private String next() {
        return "t" + counter++;
    }

    private static OnnxProto.AttributeProto attr(String name, long v) {
        return OnnxProto.AttributeProto.newBuilder().setName(name).setType(OnnxProto.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    private void weight(String name, long... dims) {
        external(name, TensorProto.DataType.FLOAT_VALUE, dims);
    }

    private void external(String name, int dtype, long... dims) {
        g.addInitializer(OnnxBuilder.tensor(name, dtype, dims).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxBuilder.entry("location", "transformer.onnx.data"))
                .addExternalData(OnnxBuilder.entry("offset", "0")));
    }

    private void ints(String name, long... values) {
        TensorProto.Builder t = OnnxBuilder.tensor(name, TensorProto.DataType.INT64_VALUE, values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        g.addInitializer(t);
    }

    private void scalar(String name, long value) {
        g.addInitializer(OnnxBuilder.tensor(name, TensorProto.DataType.INT64_VALUE).addInt64Data(value));
    }

    private void floatScalar(String... names) {
        for (String n : names) {
            g.addInitializer(OnnxBuilder.tensor(n, TensorProto.DataType.FLOAT_VALUE).addFloatData(1f));
        }
    }

    private static OnnxProto.ValueInfoProto symbolic(String name, int dtype, String... dims) {
        OnnxProto.TensorShapeProto.Builder s = OnnxProto.TensorShapeProto.newBuilder();
        for (String d : dims) {
            s.addDim(OnnxProto.TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        }
        return OnnxProto.ValueInfoProto.newBuilder().setName(name).setType(OnnxProto.TypeProto.newBuilder()
                .setTensorType(OnnxProto.TypeProto.Tensor.newBuilder().setElemType(dtype).setShape(s))).build();
    }
}
