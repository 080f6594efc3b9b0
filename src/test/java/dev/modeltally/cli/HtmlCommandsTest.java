package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import dev.modeltally.testing.OnnxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --html} on inspect and scan, in-process. */
class HtmlCommandsTest {

    @TempDir
    Path dir;

    private Path model(String name) throws Exception {
        return OnnxBuilder.create().input("x", 1, 10).output("y", 1, 10).floatInit("w", 10, 10)
                .node("MatMul", "<b>fc</b>", new String[] {"x", "w"}, "y").write(dir.resolve(name));
    }

    @Test
    void inspectWritesThePageAndStillPrintsTheTable() throws Exception {
        Path html = dir.resolve("report.html");
        Cli c = Cli.run("inspect", model("m.onnx").toString(), "--html", html.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("Parameters      100"), c.out());
        Document d = Jsoup.parse(Files.readString(html));
        assertEquals("100", d.selectFirst("#headline .card.parameters .value").text());
        assertEquals("<b>fc</b>", d.selectFirst("#layer-table td.name").text());
    }

    @Test
    void inspectWithJsonAndHtml() throws Exception {
        Path html = dir.resolve("report.html");
        Cli c = Cli.run("inspect", "--json", "--html", html.toString(), model("m.onnx").toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().startsWith("{"), c.out());
        assertTrue(Files.size(html) > 0);
    }

    @Test
    void inspectUnreadableFileWritesNothing() throws Exception {
        Path broken = Files.write(dir.resolve("broken.onnx"), new byte[] {0x08, 0x07, 0x3a, 0x7f, 0x01});
        Path html = dir.resolve("report.html");
        Cli c = Cli.run("inspect", broken.toString(), "--html", html.toString());
        assertEquals(2, c.exitCode());
        assertFalse(Files.exists(html));
    }

    @Test
    void inspectUnwritableHtmlIsAOneLineError() throws Exception {
        Path html = dir.resolve("no/such/dir/report.html");
        Cli c = Cli.run("inspect", model("m.onnx").toString(), "--html", html.toString());
        assertEquals(2, c.exitCode());
        assertEquals("error: " + html + ": no such file\n", c.err());
    }

    @Test
    void scanWritesThePageBesideTheNormalOutput() throws Exception {
        model("zoo/a.onnx");
        model("zoo/b.onnx");
        Files.write(dir.resolve("zoo/broken.onnx"), new byte[] {0x08, 0x07, 0x3a, 0x7f, 0x01});
        Path html = dir.resolve("index.html");
        Cli c = Cli.run("scan", "--format", "jsonl", "--quiet", "--html", html.toString(),
                dir.resolve("zoo").toString());
        assertEquals(0, c.exitCode(), c.err());
        assertEquals(3, c.out().lines().count(), c.out());
        Document d = Jsoup.parse(Files.readString(html));
        assertEquals(3, d.select("#file-table tbody tr").size());
        assertEquals(1, d.select("#file-table tbody tr.unreadable").size());
        assertEquals(2, d.select("svg.scatter circle.pt").size());
    }

    @Test
    void scanKeepsItsExitCodeWithHtml() throws Exception {
        model("zoo/a.onnx");
        Files.write(dir.resolve("zoo/broken.onnx"), new byte[] {0x08, 0x07, 0x3a, 0x7f, 0x01});
        Path html = dir.resolve("index.html");
        Cli c = Cli.run("scan", "--quiet", "--fail-on", "error", "--html", html.toString(), dir.resolve("zoo").toString());
        assertEquals(1, c.exitCode(), c.err());
        assertTrue(Files.readString(html).contains("broken.onnx"));
    }

    @Test
    void scanFailsFastWhenThePageCannotBeWritten() throws Exception {
        model("zoo/a.onnx");
        Path html = dir.resolve("missing/index.html");
        Cli c = Cli.run("scan", "--quiet", "--html", html.toString(), dir.resolve("zoo").toString());
        assertEquals(2, c.exitCode());
        assertEquals("error: " + html + ": no such file\n", c.err());
        assertEquals("", c.out(), "nothing scanned");
    }
}
