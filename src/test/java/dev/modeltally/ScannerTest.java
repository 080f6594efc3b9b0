package dev.modeltally;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery opens no file; a file without a model name is sniffed by its analysis, in its one open. */
class ScannerTest {

    @TempDir
    Path zoo;

    @Test
    void discoveryLeavesTheSniffToTheAnalysis() throws Exception {
        Files.copy(Fixtures.path("onnx/cnn_seed.onnx"), zoo.resolve("ok.onnx"));
        Files.copy(Fixtures.path("onnx/cnn_seed.onnx"), zoo.resolve("model.bin"));
        Files.writeString(zoo.resolve("notes.txt"), "not a model\n");
        List<Scanner.Candidate> found = Scanner.discover(List.of(zoo)).candidates();
        assertEquals(List.of("model.bin", "notes.txt", "ok.onnx"),
                found.stream().map(c -> c.path().getFileName().toString()).toList());
        assertEquals(List.of(true, true, false), found.stream().map(Scanner.Candidate::sniff).toList());
        assertEquals("onnx", Scanner.analyze(found.get(0), ModelTally.Options.DEFAULT).format());
        assertNull(Scanner.analyze(found.get(1), ModelTally.Options.DEFAULT));

        Cli c = Cli.run("scan", "--format", "csv", zoo.toString());
        assertEquals(0, c.exitCode(), c.err());
        List<String> rows = c.out().strip().lines().toList();
        assertEquals(3, rows.size(), c.out()); // header, model.bin, ok.onnx
        assertTrue(rows.get(1).contains("model.bin") && rows.get(2).contains("ok.onnx"), c.out());
        assertTrue(c.err().contains("2 files scanned") && c.err().contains("1 other file skipped"), c.err());
    }
}
