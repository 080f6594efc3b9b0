package dev.modeltally.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import dev.modeltally.testing.OnnxBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxReaderTest {

    @TempDir
    Path dir;

    private static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).collect(Collectors.toList());
    }

    private static Report analyze(Path p) throws Exception {
        return ModelTally.analyze(p, ModelTally.Options.DEFAULT);
    }

    @Test
    void countsInitializersAndBatchNormStatisticsAreNonTrainable() throws Exception {
        Path p = OnnxBuilder.create().input("x", 1, 3, 8, 8).output("y", 1, 4, 6, 6)
                .floatInit("w", 4, 3, 3, 3).floatInit("b", 4)
                .floatInit("gamma", 4).floatInit("beta", 4).floatInit("mean", 4).floatInit("var", 4)
                .node("Conv", "conv", new String[] {"x", "w", "b"}, "c")
                .node("BatchNormalization", "bn", new String[] {"c", "gamma", "beta", "mean", "var"}, "y")
                .write(dir.resolve("m.onnx"));
        Report r = analyze(p);
        assertEquals(108 + 4 + 16, r.parameters().total());
        assertEquals(8, r.parameters().nonTrainable());
        assertEquals(120, r.parameters().trainable());
        assertEquals(128 * 4, r.parameters().bytes());
        assertEquals("onnx", r.format());
        assertEquals("17", r.opset());
        assertEquals(2, r.nodes().size());
        assertTrue(r.findings().isEmpty(), r.findings().toString());
    }

    @Test
    void sharedWeightCountsOnceAndUnusedIsReported() throws Exception {
        Path p = OnnxBuilder.create().input("ids", 1, 5).output("y", 1, 5, 100)
                .floatInit("emb", 100, 16).floatInit("orphan", 7)
                .node("Gather", "embed", new String[] {"emb", "ids"}, "h")
                .node("Gemm", "head", new String[] {"h", "emb"}, "y")
                .write(dir.resolve("tied.onnx"));
        Report r = analyze(p);
        assertEquals(1600 + 7, r.parameters().total());
        assertTrue(codes(r).contains("shared-weight"));
        assertTrue(codes(r).contains("unused-initializer"));
        assertEquals(1600, r.nodes().get(0).parameters());
        assertEquals(1600, r.nodes().get(1).parameters());
    }

    @Test
    void integerInitializersAndConstantNodesAreConstantsWithSmallValuesKept() throws Exception {
        OnnxBuilder b = OnnxBuilder.create().input("x", 2, 6).output("y", 3, 4)
                .initializer(OnnxBuilder.tensor("shape", TensorProto.DataType.INT64_VALUE, 2).addInt64Data(3)
                        .addInt64Data(4))
                .node("Reshape", "reshape", new String[] {"x", "shape"}, "y");
        b.node(OnnxProto.NodeProto.newBuilder().setOpType("Constant").addOutput("k")
                .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxProto.AttributeProto.AttributeType.TENSOR)
                        .setT(OnnxBuilder.tensor("", TensorProto.DataType.INT64_VALUE, 3)
                                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[24])))));
        Path p = b.write(dir.resolve("c.onnx"));
        Report r = analyze(p);
        assertEquals(0, r.parameters().total());
        assertEquals(5, r.constants().elements());
        Model m = ModelTally.read(p, Limits.DEFAULT);
        assertEquals(List.of(3L, 4L), m.graph().weights().get("shape").intValues());
        assertEquals(List.of(0L, 0L, 0L), m.graph().weights().get("k").intValues());
    }

    @Test
    void subgraphInitializersCountAndOuterScopeUsesResolve() throws Exception {
        OnnxBuilder thenB = OnnxBuilder.create().output("t_out", 4).floatInit("t_w", 4)
                .node("Add", "t_add", new String[] {"outer", "t_w"}, "t_out");
        OnnxBuilder elseB = OnnxBuilder.create().output("e_out", 4).floatInit("e_w", 2, 2)
                .node("Identity", "e_id", new String[] {"outer"}, "e_out");
        Path p = OnnxBuilder.create().input("cond").output("y", 4).floatInit("outer", 4)
                .node(OnnxProto.NodeProto.newBuilder().setOpType("If").setName("if").addInput("cond").addOutput("y")
                        .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("then_branch")
                                .setType(OnnxProto.AttributeProto.AttributeType.GRAPH).setG(thenB.graph()))
                        .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("else_branch")
                                .setType(OnnxProto.AttributeProto.AttributeType.GRAPH).setG(elseB.graph())))
                .write(dir.resolve("if.onnx"));
        Report r = analyze(p);
        assertEquals(4 + 4 + 4, r.parameters().total());
        assertTrue(codes(r).contains("unused-initializer"), "e_w is unused: " + r.findings());
        assertTrue(codes(r).contains("shared-weight"), "outer is used in both branches");
    }

    @Test
    void sparseInitializerCountsByDenseShape() throws Exception {
        OnnxBuilder b = OnnxBuilder.create().input("x", 1, 64).output("y", 1, 32)
                .node("MatMul", "mm", new String[] {"x", "sp"}, "y");
        b.graph().addSparseInitializer(OnnxProto.SparseTensorProto.newBuilder()
                .setValues(OnnxBuilder.tensor("sp", TensorProto.DataType.FLOAT_VALUE, 3).addFloatData(1)
                        .addFloatData(2).addFloatData(3))
                .setIndices(OnnxBuilder.tensor("sp_idx", TensorProto.DataType.INT64_VALUE, 3).addInt64Data(0)
                        .addInt64Data(5).addInt64Data(9))
                .addDims(64).addDims(32));
        Report r = analyze(b.write(dir.resolve("sparse.onnx")));
        assertEquals(64 * 32, r.parameters().total());
    }

    @Test
    void externalDataPresentMissingAndTooShort() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[64]);
        Path ok = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
                .externalInit("w", "w.bin", 0, 64, 4, 4)
                .node("MatMul", "mm", new String[] {"x", "w"}, "y").write(dir.resolve("ok.onnx"));
        Report r = analyze(ok);
        assertEquals(16, r.parameters().total());
        assertTrue(r.findings().isEmpty(), r.findings().toString());

        Path missing = OnnxBuilder.create().externalInit("w", "gone.bin", 0, 64, 4, 4)
                .node("Identity", "i", new String[] {"w"}, "y").write(dir.resolve("missing.onnx"));
        r = analyze(missing);
        assertEquals(16, r.parameters().total());
        assertEquals(List.of("external-data-missing"), codes(r));

        Path shortFile = OnnxBuilder.create().externalInit("w", "w.bin", 32, -1, 4, 4)
                .node("Identity", "i", new String[] {"w"}, "y").write(dir.resolve("short.onnx"));
        r = analyze(shortFile);
        assertEquals(List.of("external-data-size-mismatch"), codes(r));
    }

    @Test
    void externalDataOutsideTheFolderIsRefusedNeverOpened() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("secret.bin"), new byte[64]);
        for (String location : List.of("../secret.bin", dir.resolve("secret.bin").toString(), "a/../../secret.bin",
                "")) {
            Path p = OnnxBuilder.create().externalInit("w", location, 0, 64, 4, 4)
                    .node("Identity", "i", new String[] {"w"}, "y").write(sub.resolve("m.onnx"));
            Report r = analyze(p);
            assertEquals(16, r.parameters().total());
            assertEquals(List.of("external-data-outside-folder"), codes(r), location);
            Weight w = ModelTally.read(p, Limits.DEFAULT).graph().weights().get("w");
            assertEquals(Storage.ExternalStatus.REFUSED, ((Storage.External) w.storage()).status());
        }
    }

    @Test
    void externalDataThroughLinksOrSpecialFilesIsRefused() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("model"));
        Path secret = Files.write(dir.resolve("secret.bin"), new byte[64]);
        Files.createSymbolicLink(sub.resolve("sym.bin"), secret);
        Files.createLink(sub.resolve("hard.bin"), secret);
        Files.createDirectories(sub.resolve("folder.bin"));
        Files.createSymbolicLink(sub.resolve("linkdir"), dir);
        for (String location : List.of("sym.bin", "hard.bin", "folder.bin", "linkdir/secret.bin")) {
            Path p = OnnxBuilder.create().externalInit("w", location, 0, 64, 4, 4)
                    .node("Identity", "i", new String[] {"w"}, "y").write(sub.resolve("m.onnx"));
            Report r = analyze(p);
            assertEquals(List.of("external-data-unsafe-file"), codes(r), location);
        }
        Path fifo = sub.resolve("fifo.bin");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            Path p = OnnxBuilder.create().externalInit("w", "fifo.bin", 0, 64, 4, 4)
                    .node("Identity", "i", new String[] {"w"}, "y").write(sub.resolve("m.onnx"));
            assertEquals(List.of("external-data-unsafe-file"), codes(analyze(p)));
        }
    }

    @Test
    void dimsWhoseProductOverflowsAreAFindingNotAWrap() throws Exception {
        Path p = OnnxBuilder.create()
                .externalInit("huge", "x.bin", 0, -1, 1L << 40, 1L << 40)
                .floatInit("ok", 3)
                .node("Add", "add", new String[] {"huge", "ok"}, "y").write(dir.resolve("o.onnx"));
        Report r = analyze(p);
        assertEquals(3, r.parameters().total());
        assertTrue(codes(r).contains("element-count-overflow"), codes(r).toString());
    }

    @Test
    void truncatedFileIsCorruptWithOneLineMessage() throws Exception {
        Path full = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4).floatInit("w", 4, 4)
                .node("MatMul", "mm", new String[] {"x", "w"}, "y").write(dir.resolve("full.onnx"));
        byte[] bytes = Files.readAllBytes(full);
        for (int cut : new int[] {bytes.length - 1, bytes.length / 2, 20}) {
            Path t = Files.write(dir.resolve("t" + cut + ".onnx"), java.util.Arrays.copyOf(bytes, cut));
            ModelReadException e = assertThrows(ModelReadException.class, () -> analyze(t));
            assertInstanceOf(CorruptModelException.class, e, e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void unrelatedFilesAreUnsupported() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "hello, this is not a model\n");
        ModelReadException e = assertThrows(ModelReadException.class, () -> analyze(text));
        assertInstanceOf(UnsupportedModelException.class, e);
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThrows(CorruptModelException.class, () -> analyze(empty));
    }

    @Test
    void aBigInlineInitializerIsNeverReadIntoMemory() throws Exception {
        // 1.5 GB of raw_data (a sparse file): reading it would not fit the test JVM's heap.
        long elements = 384L * 1024 * 1024;
        OnnxBuilder b = OnnxBuilder.create().input("x", 1, 1).output("y", 1, 1)
                .node("Mul", "mul", new String[] {"x", "big"}, "y");
        Path p = b.writeWithLargeInitializer(dir.resolve("big.onnx"), "big", elements, false);
        assertTrue(Files.size(p) > Runtime.getRuntime().maxMemory(), "file must exceed the heap to prove anything");
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Report r = analyze(p);
        long after = rt.totalMemory() - rt.freeMemory();
        assertEquals(elements, r.parameters().total());
        assertTrue(after - before < 64L << 20, "heap grew by " + (after - before) + " bytes");
        Weight w = ModelTally.read(p, Limits.DEFAULT).graph().weights().get("big");
        assertNotNull(w);
        assertEquals(elements * 4, ((Storage.Inline) w.storage()).length());
    }

    @Test
    void deeplyNestedSubgraphsAreACleanErrorNotAStackOverflow() throws Exception {
        OnnxProto.GraphProto.Builder inner = OnnxBuilder.create().output("o").graph();
        for (int i = 0; i < 200; i++) {
            inner = OnnxProto.GraphProto.newBuilder().setName("level" + i).addNode(OnnxProto.NodeProto.newBuilder()
                    .setOpType("If").addInput("c").addOutput("o").addAttribute(OnnxProto.AttributeProto.newBuilder()
                            .setName("then_branch").setType(OnnxProto.AttributeProto.AttributeType.GRAPH).setG(inner)));
        }
        OnnxBuilder b = OnnxBuilder.create();
        b.graph().mergeFrom(inner.build());
        Path p = dir.resolve("deep.onnx");
        // the generated serializer refuses nesting this deep, so write the bytes by hand
        try (var out = Files.newOutputStream(p)) {
            com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(out);
            c.writeInt64(1, 8);
            c.writeByteArray(7, b.graph().build().toByteArray());
            c.flush();
        }
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> analyze(p));
        assertTrue(e.getMessage().contains("subgraph nesting depth"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-subgraph-depth"), e.getMessage());
    }

    @Test
    void customDomainsAndLocalFunctionsAreReported() throws Exception {
        OnnxBuilder b = OnnxBuilder.create().input("x", 1).output("y", 1)
                .node(OnnxProto.NodeProto.newBuilder().setOpType("MyOp").setDomain("com.example").addInput("x")
                        .addOutput("y"));
        OnnxProto.ModelProto m = b.model().toBuilder().addFunctions(OnnxProto.FunctionProto.newBuilder()
                .setName("MyOp").setDomain("com.example")).build();
        Path p = dir.resolve("custom.onnx");
        Files.write(p, m.toByteArray());
        Report r = analyze(p);
        assertTrue(codes(r).contains("custom-domain"), codes(r).toString());
        assertTrue(codes(r).contains("model-local-function"), codes(r).toString());
    }
}
