package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
