package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import org.junit.jupiter.api.Test;

/** --input-value in inspect, scan, verify and diff: it picks an If's branch; a malformed one is exit 2. */
class InputValueCommandsTest {

    private static final String BRANCH = "testdata/compute/exporter_ops/branch_on_sr.onnx";

    @Test
    void inspectPicksTheBranchOrGivesTheRange() {
        Cli exact = Cli.run("inspect", BRANCH, "--input-value", "sr=16000");
        assertEquals(0, exact.exitCode(), exact.err());
        assertTrue(exact.out().contains("2,048 MACs"), exact.out());
        Cli range = Cli.run("inspect", BRANCH);
        assertTrue(range.out().contains("1,024 to 2,048 MACs"), range.out());
        assertTrue(range.out().contains("If 'sr_branch' is undecided: its condition depends on input 'sr' "
                + "(give --input-value sr=V)"), range.out());
        Cli json = Cli.run("inspect", "--json", BRANCH);
        assertTrue(json.out().contains("\"range\" : {"), json.out());
    }

    @Test
    void anUndecidedLoopIsALowerBoundNeverCalledExact() {
        String loop = "testdata/compute/exporter_ops/loop_trip_count.onnx";
        Cli open = Cli.run("inspect", loop);
        assertEquals(0, open.exitCode(), open.err());
        assertTrue(open.out().contains("LOWER BOUND"), open.out());
        assertTrue(!open.out().contains("  exact "), "a lower bound is labelled 'at least': " + open.out());
        Cli given = Cli.run("inspect", loop, "--input-value", "M=5");
        assertTrue(given.out().contains("  exact ") && !given.out().contains("LOWER BOUND"), given.out());
    }

    @Test
    void scanVerifyAndDiffTakeIt() {
        Cli scan = Cli.run("scan", "--format", "jsonl", "--input-value", "sr=8000", BRANCH);
        assertTrue(scan.out().contains("\"macs\":1024"), scan.out() + scan.err());
        Cli verify = Cli.run("verify", BRANCH, "--input-value", "sr=16000", "--flops", "4096");
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        Cli diff = Cli.run("diff", BRANCH, BRANCH, "--input-value", "sr=8000");
        assertEquals(0, diff.exitCode(), diff.err());
    }

    @Test
    void libraryAndHtml(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var options = dev.modeltally.ModelTally.Options.DEFAULT.withInputValues(
                java.util.Map.of("sr", java.util.List.of(8000L)));
        var r = dev.modeltally.ModelTally.analyze(java.nio.file.Path.of(BRANCH), options);
        assertEquals(1024, r.compute().macs());
        assertEquals(null, r.compute().range());
        java.nio.file.Path html = dir.resolve("r.html");
        Cli c = Cli.run("inspect", BRANCH, "--html", html.toString());
        assertEquals(0, c.exitCode(), c.err());
        String page = java.nio.file.Files.readString(html);
        assertTrue(page.contains("1.0 K – 2.0 K"), "the MACs card shows the range");
        assertTrue(page.contains("range over undecided If branches"));
    }

    @Test
    void malformedValueIsAUsageError() {
        Cli bad = Cli.run("inspect", BRANCH, "--input-value", "sr");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("expected NAME=V"), bad.err());
    }
}
