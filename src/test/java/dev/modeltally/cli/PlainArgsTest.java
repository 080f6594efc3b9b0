package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.modeltally.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code inspect} read without picocli ({@link PlainArgs}) behaves exactly as through picocli, and every line
 * it does not read goes to picocli.
 */
class PlainArgsTest {

    @TempDir
    Path dir;

    private static String onnx() {
        return Fixtures.path("onnx/dynamic_batch.onnx").toString();
    }

    /** Output, errors and exit code of one run, through {@link Main#run} or picocli alone. */
    private static String run(String[] args, boolean picocliOnly) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = picocliOnly ? Main.runPicocli(args, o, e) : Main.run(args, o, e);
        // --debug stack traces differ in the frames of Main (runPlain or runPicocli); the rest must not
        String errors = err.toString().replaceAll("(?m)^\\s+(at |\\.\\.\\. \\d+ more).*\n", "");
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + errors;
    }

    private static void assertSameAsPicocli(String... args) {
        assertEquals(run(args, true), run(args, false), String.join(" ", args));
    }

    @Test
    void plainLinesRunAsThroughPicocli() throws Exception {
        String m = onnx();
        String keras = Fixtures.path("keras/cnn_seed.weights.h5").toString();
        String config = Fixtures.path("keras/cnn_seed.keras").toString();
        String[][] lines = {
            {"inspect", m},
            {"inspect", "--json", m},
            {"inspect", m, "--json"},
            {"inspect", "--top", "2", "--per-node", m},
            {"inspect", "--top=+1", m},
            {"inspect", "--batch", "4", m},
            {"inspect", "--batch=0", m},
            {"inspect", "--input-shape", "input=2x3x32x32", "--input-shape=other=1", m},
            {"inspect", "--input-shape", "input=oops", m},
            {"inspect", "--input-value", "input=1", m},
            {"inspect", "--max-nodes", "1", m},
            {"inspect", "--max-rank=2", "--debug", m},
            {"inspect", "--max-string-bytes", "4", "--max-subgraph-depth", "1", "--max-attribute-bytes", "1",
                "--max-json-depth", "1", "--max-json-bytes", "1", "--max-hdf5-objects", "1", m},
            {"inspect", "--config", config, keras},
            {"inspect", "--config", dir.resolve("missing.json").toString(), keras},
            {"inspect", dir.resolve("missing.onnx").toString()},
            {"inspect", "--debug", dir.toString()},
            {"inspect", "inspect"},
        };
        for (String[] line : lines) {
            assertNotNull(InspectCommand.plain(line), String.join(" ", line));
            assertSameAsPicocli(line);
        }
    }

    @Test
    void htmlFileIsTheSame() throws Exception {
        Path a = dir.resolve("a.html");
        Path b = dir.resolve("b.html");
        String[] plain = {"inspect", "--html", a.toString(), onnx()};
        String[] picocli = {"inspect", "--html", b.toString(), onnx()};
        assertNotNull(InspectCommand.plain(plain));
        assertEquals(run(picocli, true), run(plain, false));
        assertEquals(Files.readString(b), Files.readString(a));
    }

    @Test
    void everythingElseGoesToPicocli() {
        String m = onnx();
        String[][] lines = {
            {"inspect"},
            {"inspect", m, m},
            {"inspect", "--help"},
            {"inspect", "-h"},
            {"inspect", "-V"},
            {"inspect", "--version"},
            {"inspect", "--json", "--json", m},
            {"inspect", "--json=true", m},
            {"inspect", "--top", "2", "--top", "3", m},
            {"inspect", "--top", "x", m},
            {"inspect", "--top", "-1", m},
            {"inspect", "--top=", m},
            {"inspect", "--top", "99999999999", m},
            {"inspect", "--top"},
            {"inspect", "--batch", "1.5", m},
            {"inspect", "--html", "--json", m},
            {"inspect", "--frob", m},
            {"inspect", "-x", m},
            {"inspect", "--", m},
            {"inspect", "-", m},
            {"inspect", "@" + m},
            {"inspect", "--config", "@x", m},
            {"inspect", ""},
            {"inspect", "bad\0path"},
        };
        for (String[] line : lines) {
            assertNull(InspectCommand.plain(line), String.join(" ", line));
            assertSameAsPicocli(line);
        }
    }

    /** The option names PlainArgs knows are inspect's, taking values as picocli's model says. */
    @Test
    void namesMatchPicocliModel() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new InspectCommand()).getCommandSpec();
        Set<String> flags = new TreeSet<>();
        Set<String> singles = new TreeSet<>();
        Set<String> repeatables = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            assertEquals(1, o.names().length, "a second name PlainArgs would not know: " + o.longestName());
            (o.arity().max == 0 ? flags : o.isMultiValue() ? repeatables : singles).add(o.longestName());
        }
        assertEquals(flags, new TreeSet<>(InspectCommand.NAMES.flags()));
        assertEquals(singles, new TreeSet<>(InspectCommand.NAMES.singles()));
        assertEquals(repeatables, new TreeSet<>(InspectCommand.NAMES.repeatables()));
        assertEquals(1, spec.positionalParameters().size());
        assertEquals(CommandLine.Range.valueOf("1"), spec.positionalParameters().get(0).arity());
    }
}
