package dev.modeltally.cli;

import dev.modeltally.IoMessages;
import dev.modeltally.Scanner;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Severity;
import dev.modeltally.report.ScanSummary;
import dev.modeltally.report.ScanWriter;
import dev.modeltally.report.html.HtmlScanReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modeltally scan PATH...}: one row per model file found under the paths. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Find model files under folders (by content) and report each: parameters, compute, "
                + "findings. A file that cannot be read becomes a row with an error; the scan goes on.",
            "Exit code 0; 1 with --fail-on when such a finding or an unreadable file occurs; 2 on bad usage."})
final class ScanCommand implements Callable<Integer> {

    enum FailOn { WARNING, ERROR }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders (walked recursively).")
    List<Path> paths;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "table",
            description = "table, jsonl, csv, markdown or sarif (default: ${DEFAULT-VALUE}).")
    ScanWriter.Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write rows here instead of stdout.")
    Path output;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files read in parallel (default: cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary on stderr.")
    boolean quiet;

    @Option(names = "--fail-on", paramLabel = "LEVEL",
            description = "Exit 1 when a finding of this severity or worse (warning, error) or an unreadable file occurs.")
    FailOn failOn;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML page of the scan (sortable table, charts) to FILE.")
    Path html;

    @CommandLine.Mixin
    ReaderOptions reader;

    @CommandLine.Mixin
    ShapeOptions shapes;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        AnalysisOptions analysis = shapes.analysisOptions(err);
        if (analysis == null) {
            return Main.UNREADABLE;
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("error: " + p + ": no such file or directory");
                return Main.UNREADABLE;
            }
        }
        if (!reader.configUsable(err)) {
            return Main.UNREADABLE;
        }
        // Created before the scan so a bad path fails at once, not after reading a whole zoo.
        if (html != null && !writeHtml("", err)) {
            return Main.UNREADABLE;
        }
        HtmlScanReport page = html == null ? null : new HtmlScanReport();
        long start = System.nanoTime();
        Scanner.Discovery found = Scanner.discover(paths);
        Scanner.Progress progress = new Scanner.Progress();
        ProgressBar bar = !quiet && Terminal.stderrIsTerminal() ? new ProgressBar(err, found) : null;
        ScanSummary summary = new ScanSummary();
        summary.skipped(found.skipped());
        // files discovery kept for their content only, which their analysis found not to be models
        AtomicLong notModels = new AtomicLong();
        boolean failed = false;
        PrintWriter out = output == null ? spec.commandLine().getOut()
                : new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
        try (Stream<Report> reports = Scanner.analyze(found.candidates(), reader.options(analysis),
                jobs, c -> {
                    progress.accept(c);
                    if (bar != null) {
                        bar.update(progress);
                    }
                }, c -> notModels.incrementAndGet())) {
            ScanWriter writer = new ScanWriter(format, out, new Main.Version().getVersion()[0]);
            for (Iterator<Report> it = reports.iterator(); it.hasNext();) {
                Report r = it.next();
                summary.add(r);
                writer.row(r);
                if (page != null) {
                    page.add(r);
                }
                failed |= fails(r);
            }
            if (bar != null) {
                bar.clear();
            }
            summary.skipped(found.skipped() + notModels.get());
            String text = summary.render((System.nanoTime() - start) / 1e9);
            writer.finish(text);
            boolean tableInOutput = format == ScanWriter.Format.TABLE || format == ScanWriter.Format.MARKDOWN;
            if (!quiet && (!tableInOutput || output != null)) {
                err.print(text);
                err.flush();
            }
        } finally {
            if (output != null) {
                out.close();
            }
        }
        if (page != null && !writeHtml(page.render(), err)) {
            return Main.UNREADABLE;
        }
        return failed ? Main.CHECK_FAILED : Main.OK;
    }

    private boolean writeHtml(String text, PrintWriter err) {
        try {
            Files.writeString(html, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            err.println("error: " + html + ": " + IoMessages.describe(e));
            err.flush();
            return false;
        }
    }

    private boolean fails(Report r) {
        if (failOn == null) {
            return false;
        }
        if (r.failed()) {
            return true;
        }
        Severity worst = r.worstSeverity();
        Severity threshold = failOn == FailOn.ERROR ? Severity.ERROR : Severity.WARNING;
        return worst != null && worst.compareTo(threshold) >= 0;
    }
}
