package dev.modeltally.cli;

import dev.modeltally.IoMessages;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Expected;
import dev.modeltally.analysis.Explanations;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.Columns;
import dev.modeltally.report.Numbers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modeltally verify}: does a file hold the parameters (and FLOPs) its model card says? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a model's parameter count (and trainable count, FLOPs, sha256) against expected "
                + "figures. Figures may be written as model cards do: 138357544, 138.36M, 7.7M, 30.9G; without "
                + "--tolerance, the rounding of the figure sets the tolerance (7.7M accepts 7.65M..7.75M).",
            "Exit 0 when every check passes, 1 when one fails, 2 when the input cannot be read."})
final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The model file (omit with --manifest).")
    Path file;

    @Option(names = "--params", paramLabel = "N", description = "Expected total parameters.")
    String params;

    @Option(names = "--trainable", paramLabel = "N", description = "Expected trainable parameters.")
    String trainable;

    @Option(names = "--flops", paramLabel = "N", description = "Expected FLOPs (2 x MACs).")
    String flops;

    @Option(names = "--tolerance", paramLabel = "T", description = "Allowed difference: 0.5%% or an absolute count.")
    String tolerance;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "CSV or JSON listing path, params, trainable, flops, sha256 for many files.")
    Path manifest;

    @CommandLine.Mixin
    ReaderOptions reader;

    @CommandLine.Mixin
    ShapeOptions shapes;

    private AnalysisOptions analysis = AnalysisOptions.DEFAULT;

    /** One checked figure. */
    record Check(String path, String figure, String expected, String got, String diff, boolean pass,
                 List<String> reasons) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        analysis = shapes.analysisOptions(err);
        if (analysis == null) {
            return Main.UNREADABLE;
        }
        if ((file == null) == (manifest == null)) {
            err.println("error: give either FILE or --manifest FILE");
            return Main.UNREADABLE;
        }
        List<Manifest.Entry> entries;
        if (manifest != null) {
            try {
                entries = Manifest.read(manifest).entries();
            } catch (IOException | RuntimeException e) {
                err.println("error: " + manifest + ": " + (e instanceof IOException io ? IoMessages.describe(io)
                        : e.getMessage()).replaceAll("[\\r\\n]+", " "));
                return Main.UNREADABLE;
            }
        } else {
            if (params == null && trainable == null && flops == null) {
                err.println("error: nothing to verify: give --params, --trainable or --flops");
                return Main.UNREADABLE;
            }
            entries = List.of(new Manifest.Entry(file, params, trainable, flops, null));
        }
        List<Check> checks = new ArrayList<>();
        for (Manifest.Entry e : entries) {
            List<Check> fileChecks;
            try {
                fileChecks = check(e, err);
            } catch (IllegalArgumentException bad) {
                err.println("error: " + bad.getMessage());
                return Main.UNREADABLE;
            }
            if (fileChecks == null) {
                if (manifest == null) {
                    return Main.UNREADABLE;
                }
                checks.add(new Check(e.path().toString(), "file", "readable", "unreadable", "", false, List.of()));
                continue;
            }
            checks.addAll(fileChecks);
        }
        print(out, checks);
        return checks.stream().allMatch(Check::pass) ? Main.OK : Main.CHECK_FAILED;
    }

    private List<Check> check(Manifest.Entry e, PrintWriter err) {
        // Parse figures first: bad usage must not cost a read.
        Expected p = e.params() == null ? null : Expected.parse(e.params(), tolerance);
        Expected t = e.trainable() == null ? null : Expected.parse(e.trainable(), tolerance);
        Expected f = e.flops() == null ? null : Expected.parse(e.flops(), tolerance);
        Report r = reader.analyze(e.path(), analysis, err);
        if (r == null) {
            return null;
        }
        String path = e.path().toString();
        List<Check> out = new ArrayList<>();
        if (p != null) {
            out.add(figure(path, "parameters", p, r.parameters().total(),
                    Explanations.forParameters(r, p.value(), r.parameters().total())));
        }
        if (t != null) {
            out.add(figure(path, "trainable", t, r.parameters().trainable(), List.of()));
        }
        if (f != null) {
            if (r.compute() == null) {
                out.add(new Check(path, "flops", show(f), "unknown", "", false,
                        List.of(r.hasGraph() ? "compute was not estimated for this file"
                                : "the file has no graph (weights only): FLOPs cannot be estimated")));
            } else {
                List<String> why = r.compute().coverage().complete() ? List.of()
                        : List.of("coverage is incomplete: the FLOPs figure is a lower bound");
                out.add(figure(path, "flops", f, r.compute().flops(), why));
            }
        }
        if (e.sha256() != null) {
            String actual = sha256(e.path());
            boolean ok = actual != null && actual.equalsIgnoreCase(e.sha256().strip());
            out.add(new Check(path, "sha256", abbreviate(e.sha256()), actual == null ? "unreadable" : abbreviate(actual),
                    "", ok, List.of()));
        }
        return out;
    }

    private static Check figure(String path, String name, Expected want, long got, List<String> reasons) {
        long diff = got - want.value();
        String d = (diff > 0 ? "+" : "") + Numbers.grouped(diff);
        if (diff != 0 && want.value() != 0) {
            d += String.format(" (%+.2f%%)", 100.0 * diff / want.value());
        }
        boolean pass = want.matches(got);
        return new Check(path, name, show(want), Numbers.grouped(got), d, pass, pass ? List.of() : reasons);
    }

    private static String show(Expected e) {
        String s = e.text().matches("[0-9,_ ]+") ? Numbers.grouped(e.value()) : e.text();
        return e.tolerance() > 0 ? s + " (±" + Numbers.grouped(e.tolerance()) + ")" : s;
    }

    private static String abbreviate(String hash) {
        String h = hash.strip().toLowerCase(java.util.Locale.ROOT);
        return h.length() > 16 ? h.substring(0, 16) + "..." : h;
    }

    /** Streams the file through SHA-256 in constant memory; null when it cannot be read. */
    static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void print(PrintWriter out, List<Check> checks) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"file", "check", "expected", "got", "difference", "result"});
        for (Check c : checks) {
            rows.add(new String[] {c.path(), c.figure(), c.expected(), c.got(), c.diff(), c.pass() ? "PASS" : "FAIL"});
        }
        out.print(Columns.format(rows, "", new boolean[] {false, false, true, true, true, false}));
        for (Check c : checks) {
            for (String reason : c.reasons()) {
                out.println("  " + c.path() + " " + c.figure() + ": likely reason: " + reason);
            }
        }
        long failed = checks.stream().filter(c -> !c.pass()).count();
        out.println(failed == 0 ? "result: PASS (" + checks.size() + " checks)"
                : "result: FAIL (" + failed + " of " + checks.size() + " checks failed)");
        out.flush();
    }
}
