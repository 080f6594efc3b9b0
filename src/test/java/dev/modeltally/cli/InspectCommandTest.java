package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.testing.Cli;
import dev.modeltally.testing.OnnxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    @TempDir
    Path dir;

    private Path model() throws Exception {
        return OnnxBuilder.create().input("x", 1, 1000).output("y", 1, 1000)
                .floatInit("w", 1000, 1000).floatInit("b", 1000)
                .node("Gemm", "fc", new String[] {"x", "w", "b"}, "y").write(dir.resolve("fc.onnx"));
    }

    @Test
    void configGivesAWeightsOnlyFileItsArchitecture() throws Exception {
        String weights = dev.modeltally.testing.Fixtures.path("keras/cnn_seed.weights.h5").toString();
        String archive = dev.modeltally.testing.Fixtures.path("keras/cnn_seed.keras").toString();
        Cli plain = Cli.run("inspect", weights);
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.out().contains("keras-weights-only"), plain.out());
        Cli c = Cli.run("inspect", "--config", archive, weights);
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("1,770,161,408 MACs, 3,540,322,816 FLOPs"), c.out());
        assertTrue(c.out().contains("keras-config-supplied"), c.out());
        Cli v = Cli.run("verify", weights, "--config", archive, "--params", "8593034", "--flops", "3540322816");
        assertEquals(0, v.exitCode(), v.out() + v.err());

        Cli missing = Cli.run("inspect", "--config", dir.resolve("nope.json").toString(), model().toString());
        assertEquals(2, missing.exitCode());
        assertEquals("error: --config " + dir.resolve("nope.json") + ": no such file\n", missing.err());
        Cli scan = Cli.run("scan", "--config", dir.toString(), dir.toString());
        assertEquals(2, scan.exitCode());
        assertEquals("error: --config " + dir + ": not a regular file\n", scan.err());
    }

    @Test
    void versionAndHelp() {
        Cli v = Cli.run("--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("modeltally "), v.out());
        Cli h = Cli.run("--help");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().contains("inspect"));
    }

    @Test
    void tableShowsGroupedAndShortNumbers() throws Exception {
        Cli c = Cli.run("inspect", model().toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("1,001,000  (1.0 M)"), c.out());
        assertTrue(c.out().contains("Largest weight-bearing nodes"), c.out());
        assertTrue(c.out().contains("fc"), c.out());
        assertTrue(c.out().contains("x  FLOAT [1, 1000]"), c.out());
        assertEquals("", c.err());
    }

    @Test
    void jsonFollowsTheContract() throws Exception {
        Cli c = Cli.run("inspect", "--json", model().toString());
        assertEquals(0, c.exitCode(), c.err());
        JsonNode j = new ObjectMapper().readTree(c.out());
        for (String field : new String[] {"path", "format", "producer", "parameters", "constants", "compute", "inputs",
            "outputs", "findings", "error"}) {
            assertTrue(j.has(field), "missing " + field);
        }
        assertEquals(1_001_000, j.get("parameters").get("total").asLong());
        assertEquals(0, j.get("parameters").get("non_trainable").asLong());
        assertEquals(4_004_000, j.get("parameters").get("bytes").asLong());
        assertEquals(1_001_000, j.get("parameters").get("by_dtype").get("FLOAT").asLong());
        JsonNode compute = j.get("compute");
        assertEquals(1_000_000, compute.get("macs").asLong());
        assertEquals(2_000_000, compute.get("flops").asLong());
        assertEquals(1_000, compute.get("other_flops").asLong()); // the bias add
        assertEquals(1, compute.get("coverage").get("nodes").asInt());
        assertEquals(1, compute.get("coverage").get("shapes_resolved").asInt());
        assertEquals(0, compute.get("coverage").get("ops_without_rule").size());
        assertTrue(compute.get("assumed").isArray());
        assertTrue(j.get("error").isNull());
        assertEquals(1000, j.get("inputs").get(0).get("shape").get(1).asInt());
    }

    @Test
    void unreadableInputsGiveOneLineErrorAndExitTwo() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {(byte) 0xff, 0x13, 0x00, 0x44, 0x10});
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        Path truncated = dir.resolve("trunc.onnx");
        byte[] full = Files.readAllBytes(model());
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        for (Path p : new Path[] {garbage, empty, truncated, dir.resolve("nope.onnx"), dir}) {
            Cli c = Cli.run("inspect", p.toString());
            assertEquals(2, c.exitCode(), p + ": " + c.err());
            assertTrue(c.err().startsWith("error: " + p + ": "), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
            assertEquals("", c.out());
        }
    }

    @Test
    void badUsageExitsTwo() {
        Cli c = Cli.run("inspect");
        assertEquals(2, c.exitCode());
        assertTrue(c.err().startsWith("error: "), c.err());
        assertEquals(2, Cli.run("inspect", "--no-such-option", "x").exitCode());
    }

    private Path dynamicModel() throws Exception {
        var b = OnnxBuilder.create().output("y", 1, 10).floatInit("w", 8, 10).floatInit("b", 10);
        b.graph().addInput(dev.modeltally.format.onnx.proto.OnnxProto.ValueInfoProto.newBuilder().setName("x")
                .setType(dev.modeltally.format.onnx.proto.OnnxProto.TypeProto.newBuilder().setTensorType(
                        dev.modeltally.format.onnx.proto.OnnxProto.TypeProto.Tensor.newBuilder().setElemType(1)
                                .setShape(dev.modeltally.format.onnx.proto.OnnxProto.TensorShapeProto.newBuilder()
                                        .addDim(dev.modeltally.format.onnx.proto.OnnxProto.TensorShapeProto.Dimension
                                                .newBuilder().setDimParam("batch"))
                                        .addDim(dev.modeltally.format.onnx.proto.OnnxProto.TensorShapeProto.Dimension
                                                .newBuilder().setDimValue(8))))));
        return b.node("Gemm", "fc", new String[] {"x", "w", "b"}, "y").write(dir.resolve("dyn.onnx"));
    }

    @Test
    void computeSummaryTopNodesAndAssumedBatch() throws Exception {
        Cli c = Cli.run("inspect", dynamicModel().toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("Compute         80 MACs, 160 FLOPs (2 per MAC)"), c.out());
        assertTrue(c.out().contains("assumed       input 'x': batch dim 'batch' taken as 1"), c.out());
        assertTrue(c.out().contains("Top nodes by MACs (1 of 1)"), c.out());
        assertTrue(c.out().contains("1 of 1 nodes with resolved shapes; every op has a rule"), c.out());
    }

    @Test
    void batchInputShapeAndPerNode() throws Exception {
        Path m = dynamicModel();
        Cli batch = Cli.run("inspect", "--batch", "4", m.toString());
        assertTrue(batch.out().contains("320 MACs"), batch.out());
        assertFalse(batch.out().contains("assumed"), batch.out());
        assertTrue(batch.out().contains("y  FLOAT [1, 10]  -> [4, 10]"), batch.out());
        Cli shape = Cli.run("inspect", "--input-shape", "x=3x8", "--per-node", m.toString());
        assertEquals(0, shape.exitCode(), shape.err());
        assertTrue(shape.out().contains("Nodes (1)"), shape.out());
        assertTrue(shape.out().matches("(?s).*fc\\s+Gemm\\s+\\[3, 10\\]\\s+90\\s+240\\s+30.*"), shape.out());
        JsonNode j = new ObjectMapper().readTree(Cli.run("inspect", "--json", "--input-shape", "x=3,8",
                m.toString()).out());
        assertEquals(240, j.get("compute").get("macs").asLong());
        assertEquals(3, j.get("compute").get("nodes").get(0).get("outputs").get(0).get("shape").get(0).asInt());
        assertEquals(240, j.get("compute").get("by_op_type").get("Gemm").get("macs").asLong());
    }

    @Test
    void aNamedDimStaysSymbolicInTheFormula() throws Exception {
        Path m = dynamicModel();
        Cli c = Cli.run("inspect", "--json", "--input-shape", "x=3xA", m.toString());
        assertEquals(0, c.exitCode(), c.err());
        com.fasterxml.jackson.databind.JsonNode f = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.out())
                .path("compute").path("formula");
        assertEquals("A", f.path("symbols").path(0).path("symbol").asText(), f.toString());
        assertEquals(1, f.path("dim").asInt(1), f.toString());
    }

    @Test
    void badShapeOptionsExitTwo() throws Exception {
        Path m = dynamicModel();
        for (String[] args : new String[][] {{"--input-shape", "x=3x?"}, {"--input-shape", "x=3x8.5"}, {"--input-shape", "3x8"},
            {"--input-shape", "x=-1x8"}, {"--batch", "-2"}}) {
            String[] full = java.util.Arrays.copyOf(new String[] {"inspect"}, 1 + args.length + 1);
            System.arraycopy(args, 0, full, 1, args.length);
            full[full.length - 1] = m.toString();
            Cli c = Cli.run(full);
            assertEquals(2, c.exitCode(), String.join(" ", args) + ": " + c.out());
            assertTrue(c.err().startsWith("error: "), c.err());
        }
    }

    @Test
    void lowerBoundIsSaid() throws Exception {
        Path p = OnnxBuilder.create().input("x", 1, 8).output("y", 1, 8).floatInit("w", 8, 8)
                .node("MatMul", "mm", new String[] {"x", "w"}, "h")
                .node(dev.modeltally.format.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Mystery")
                        .setDomain("com.example").setName("m").addInput("h").addOutput("y"))
                .write(dir.resolve("lb.onnx"));
        Cli c = Cli.run("inspect", p.toString());
        assertTrue(c.out().contains("at least 64 MACs"), c.out());
        assertTrue(c.out().contains("LOWER BOUND"), c.out());
        assertTrue(c.out().contains("no rule for com.example:Mystery"), c.out());
    }
}
