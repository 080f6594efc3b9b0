package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The formula in each output: text rows, JSON, JSONL scan rows, HTML section; numbers pin symbols. */
class FormulaOutputTest {

    private static final String GPT2 = "testdata/compute/gpt2.onnx";
    private static final String CNN = "testdata/compute/dynamic_batch.onnx";

    @Test
    void textShowsTheFormulaReadablyWithTheBatchFactoredOut() {
        Cli c = Cli.run("inspect", GPT2);
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("formula       MACs = batch × (18.4 K·sequence² + 123.5 M·sequence)"), c.out());
        assertTrue(c.out().contains("symbols: batch = input_ids[0], sequence = input_ids[1]"), c.out());
    }

    @Test
    void jsonGivesExactExpressionsAndNumbersPinSymbols() throws Exception {
        JsonNode f = formula("inspect", "--json", GPT2);
        assertEquals("18432*batch*sequence^2 + 123532032*batch*sequence", f.path("macs").asText());
        assertEquals("36864*batch*sequence^2 + 247064064*batch*sequence", f.path("flops").asText());
        assertEquals(false, f.path("partial").asBoolean());
        JsonNode pinned = formula("inspect", "--json", "--batch", "2", GPT2);
        assertEquals("36864*sequence^2 + 247064064*sequence", pinned.path("macs").asText());
        assertEquals(1, pinned.path("symbols").size());
        JsonNode none = new ObjectMapper().readTree(Cli.run("inspect", "--json", "--input-shape", "input_ids=2x9", GPT2)
                .out()).path("compute").path("formula");
        assertTrue(none.isNull(), none.toString());
    }

    @Test
    void scanRowsCarryTheFormula(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(CNN), dir.resolve("cnn.onnx"));
        Cli c = Cli.run("scan", "--format", "jsonl", "--quiet", dir.toString());
        assertEquals(0, c.exitCode(), c.err());
        JsonNode row = new ObjectMapper().readTree(c.out().lines().findFirst().orElseThrow());
        assertEquals("285472*batch", row.path("compute").path("formula").path("macs").asText(), row.toString());
    }

    @Test
    void htmlHasTheFormulaSectionAndPlot(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gpt2.html");
        Cli c = Cli.run("inspect", GPT2, "--html", out.toString());
        assertEquals(0, c.exitCode(), c.err() + c.out());
        String html = Files.readString(out);
        assertTrue(html.contains("id=\"formula\""), "formula section");
        assertTrue(html.contains("MACs and peak bytes against sequence"), "plot against the main symbol");
    }

    private static JsonNode formula(String... args) throws Exception {
        Cli c = Cli.run(args);
        assertEquals(0, c.exitCode(), c.err());
        return new ObjectMapper().readTree(c.out()).path("compute").path("formula");
    }
}
