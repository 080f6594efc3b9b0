package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Cli;
import dev.modeltally.testing.OnnxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan, verify and diff, run in-process over a small zoo with a broken and an unrelated file in it. */
class ZooCommandsTest {

    @TempDir
    Path zoo;

    Path mlp;
    Path mlpV2;
    Path broken;

    @BeforeEach
    void makeZoo() throws Exception {
        mlp = OnnxBuilder.create().input("x", 1, 784).output("y", 1, 10)
                .floatInit("w1", 784, 512).floatInit("b1", 512).floatInit("w2", 512, 10).floatInit("b2", 10)
                .node("Gemm", "fc1", new String[] {"x", "w1", "b1"}, "h")
                .node("Gemm", "fc2", new String[] {"h", "w2", "b2"}, "y")
                .write(zoo.resolve("a/mlp.onnx"));
        mlpV2 = OnnxBuilder.create().input("x", 1, 784).output("y", 1, 20)
                .floatInit("w1", 784, 512).floatInit("b1", 512).floatInit("w2", 512, 20).floatInit("b2", 20)
                .node("Gemm", "fc1", new String[] {"x", "w1", "b1"}, "h")
                .node("Gemm", "fc2", new String[] {"h", "w2", "b2"}, "y")
                .write(zoo.resolve("b/mlp_v2.onnx"));
        OnnxBuilder.create().externalInit("w", "w.data", 0, 64, 4, 4)
                .node("Identity", "i", new String[] {"w"}, "y").write(zoo.resolve("c/ext.onnx"));
        Files.write(zoo.resolve("c/w.data"), new byte[64]);
        broken = Files.write(zoo.resolve("c/broken.onnx"), new byte[] {0x08, 0x07, 0x3a, 0x7f, 0x01});
        Files.writeString(zoo.resolve("README.txt"), "not a model");
    }

    @Test
    void scanListsEveryModelInPathOrderAndRecordsErrors() throws Exception {
        Cli c = Cli.run("scan", "--format", "jsonl", "--quiet", zoo.toString());
        assertEquals(0, c.exitCode(), c.err());
        List<JsonNode> rows = c.out().lines().map(ZooCommandsTest::json).collect(Collectors.toList());
        assertEquals(4, rows.size(), c.out());
        List<String> paths = rows.stream().map(r -> r.get("path").asText()).collect(Collectors.toList());
        assertEquals(paths.stream().sorted().collect(Collectors.toList()), paths);
        JsonNode bad = rows.stream().filter(r -> r.get("path").asText().endsWith("broken.onnx")).findFirst().get();
        assertEquals("corrupt", bad.get("error").get("kind").asText());
        JsonNode good = rows.stream().filter(r -> r.get("path").asText().endsWith("mlp.onnx")).findFirst().get();
        assertEquals(784 * 512 + 512 + 5130, good.get("parameters").get("total").asLong());
        assertTrue(good.get("error").isNull());
        assertFalse(paths.stream().anyMatch(p -> p.endsWith("w.data") || p.endsWith("README.txt")));
    }

    @Test
    void scanFormatsAndFailOn() throws Exception {
        Cli table = Cli.run("scan", zoo.toString());
        assertEquals(0, table.exitCode());
        assertTrue(table.out().contains("407,050"), table.out());
        assertTrue(table.out().contains("4 files scanned"), table.out());
        assertTrue(table.out().contains("errors: 1"), table.out());
        Cli csv = Cli.run("scan", "--format", "csv", "-q", zoo.toString());
        assertTrue(csv.out().startsWith("path,format,parameters,"), csv.out());
        assertEquals(5, csv.out().lines().count());
        Cli md = Cli.run("scan", "--format", "markdown", zoo.toString());
        assertTrue(md.out().contains("| path | format |"), md.out());
        Cli sarif = Cli.run("scan", "--format", "sarif", "-q", zoo.toString());
        JsonNode log = json(sarif.out());
        assertEquals("2.1.0", log.get("version").asText());
        JsonNode results = log.get("runs").get(0).get("results");
        assertEquals(1, results.size(), sarif.out());
        assertEquals("unreadable-file", results.get(0).get("ruleId").asText());
        assertEquals("error", results.get(0).get("level").asText());
        assertTrue(results.get(0).get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri")
                .asText().endsWith("broken.onnx"));
        Path out = zoo.resolve("rows.jsonl");
        assertEquals(0, Cli.run("scan", "--format", "jsonl", "-q", "-o", out.toString(), zoo.resolve("a").toString())
                .exitCode());
        assertEquals(1, Files.readAllLines(out).size());
        assertEquals(1, Cli.run("scan", "--fail-on", "error", "-q", zoo.toString()).exitCode());
        assertEquals(0, Cli.run("scan", "--fail-on", "warning", "-q", zoo.resolve("a").toString()).exitCode());
        assertEquals(2, Cli.run("scan", zoo.resolve("nope").toString()).exitCode());
        assertEquals(2, Cli.run("scan", "--format", "xml", zoo.toString()).exitCode());
    }

    @Test
    void sarifCarriesFindingsWithLevelsAndLocations() {
        Cli c = Cli.run("scan", "--format", "sarif", "-q", "testdata/onnx");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode run = json(c.out()).get("runs").get(0);
        List<String> rules = new java.util.ArrayList<>();
        run.get("tool").get("driver").get("rules").forEach(r -> rules.add(r.get("id").asText()));
        assertTrue(rules.contains("external-data-missing"), rules.toString());
        boolean found = false;
        for (JsonNode r : run.get("results")) {
            if (r.get("ruleId").asText().equals("external-data-missing")) {
                assertEquals("warning", r.get("level").asText());
                found |= r.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText()
                        .endsWith("vgg16.onnx");
            }
        }
        assertTrue(found, c.out());
        assertEquals(1, Cli.run("scan", "--fail-on", "warning", "-q", "testdata/onnx").exitCode());
    }

    @Test
    void libraryScanStreamsReports() throws Exception {
        try (Stream<Report> rows = ModelTally.scan(List.of(zoo), ModelTally.Options.DEFAULT, 2)) {
            List<Report> all = rows.collect(Collectors.toList());
            assertEquals(4, all.size());
            assertEquals(1, all.stream().filter(Report::failed).count());
        }
    }

    @Test
    void verifyPassesAndFailsWithExitCodes() {
        Cli pass = Cli.run("verify", mlp.toString(), "--params", "407,050");
        assertEquals(0, pass.exitCode(), pass.out() + pass.err());
        assertTrue(pass.out().contains("PASS"));
        assertEquals(0, Cli.run("verify", mlp.toString(), "--params", "0.41M").exitCode());
        Cli fail = Cli.run("verify", mlp.toString(), "--params", "407051");
        assertEquals(1, fail.exitCode());
        assertTrue(fail.out().contains("FAIL") && fail.out().contains("+-1") == false && fail.out().contains("-1"),
                fail.out());
        assertEquals(0, Cli.run("verify", mlp.toString(), "--params", "407051", "--tolerance", "0.1%").exitCode());
        assertEquals(0, Cli.run("verify", mlp.toString(), "--trainable", "407050").exitCode());
        assertEquals(2, Cli.run("verify", broken.toString(), "--params", "1").exitCode());
        assertEquals(2, Cli.run("verify", mlp.toString()).exitCode());
        assertEquals(2, Cli.run("verify", mlp.toString(), "--params", "lots").exitCode());
        Cli flops = Cli.run("verify", mlp.toString(), "--flops", "1G");
        assertTrue(flops.exitCode() == 0 || flops.exitCode() == 1, flops.err());
    }

    @Test
    void verifyManifestsInCsvAndJson() throws Exception {
        String sha = VerifyCommand.sha256(mlp);
        Path good = Files.writeString(zoo.resolve("zoo.csv"), "path,params,trainable,sha256\n"
                + "a/mlp.onnx,407050,407050," + sha + "\n" + "b/mlp_v2.onnx,412.2K,,\n");
        Cli ok = Cli.run("verify", "--manifest", good.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("result: PASS (4 checks)"), ok.out());
        Path bad = Files.writeString(zoo.resolve("zoo.json"), "{\"models\": [{\"path\": \"a/mlp.onnx\", \"params\": "
                + "407050}, {\"path\": \"c/broken.onnx\", \"params\": \"1M\"}, {\"path\": \"a/mlp.onnx\", \"sha256\": "
                + "\"00\"}]}");
        Cli ko = Cli.run("verify", "--manifest", bad.toString());
        assertEquals(1, ko.exitCode(), ko.out() + ko.err());
        assertTrue(ko.out().contains("result: FAIL (2 of 3 checks failed)"), ko.out());
        assertEquals(2, Cli.run("verify", "--manifest", zoo.resolve("missing.csv").toString()).exitCode());
    }

    @Test
    void diffAlignsByNameAndReportsShapes() throws Exception {
        Cli c = Cli.run("diff", mlp.toString(), mlpV2.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("aligned by name"), c.out());
        assertTrue(c.out().contains("+5,130"), c.out());
        assertTrue(c.out().contains("output y: FLOAT [1, 10] -> FLOAT [1, 20]"), c.out());
        Cli j = Cli.run("diff", "--json", mlp.toString(), mlpV2.toString());
        JsonNode d = json(j.out());
        assertEquals(5130, d.get("totals").get("parameters").get("difference").asLong());
        assertEquals(2, d.get("layers").size());
        assertEquals(2, Cli.run("diff", mlp.toString(), broken.toString()).exitCode());
    }

    @Test
    void diffAKerasModelAgainstItsTorchRebuildExportedToOnnx() {
        Cli c = Cli.run("diff", "--json", "testdata/keras/conv_pool_dense.keras",
                "testdata/onnx/diff/conv_pool_dense_torch.onnx");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode d = json(c.out());
        assertEquals("order", d.get("alignment").asText());
        assertEquals(0, d.get("totals").get("parameters").get("difference").asLong());
        assertEquals(2, d.get("layers").size());
        for (JsonNode layer : d.get("layers")) {
            assertEquals(0, layer.get("difference").asLong(), layer.toString());
            assertTrue(layer.get("a").get("op_type").asText().startsWith("Conv2D")
                    || layer.get("a").get("op_type").asText().equals("Dense"));
        }
        Cli mlps = Cli.run("diff", "testdata/keras/mnist_mlp.h5", "testdata/onnx/diff/mnist_mlp_torch.onnx");
        assertTrue(mlps.out().contains("dense_1  Dense   262,656  /net/net.3/Gemm  Gemm   262,656"), mlps.out());
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
