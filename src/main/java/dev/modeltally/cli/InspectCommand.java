package dev.modeltally.cli;

import dev.modeltally.IoMessages;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.JsonReport;
import dev.modeltally.report.TextReport;
import dev.modeltally.report.html.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modeltally inspect FILE}: everything about one model. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what a model file holds: format, inputs/outputs, parameters, compute (MACs/FLOPs), "
                + "largest nodes, findings.")
final class InspectCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ONNX or Keras model file.")
    Path file;

    @Option(names = "--json", description = "Print the JSON report object instead of the table.")
    boolean json;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many of the largest weight-bearing nodes to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--per-node", description = "Also list every node: output shape, parameters, MACs, other FLOPs.")
    boolean perNode;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML report (charts, sortable layer table) to FILE.")
    Path html;

    @CommandLine.Mixin
    ShapeOptions shapes;

    @CommandLine.Mixin
    ReaderOptions reader;

    /** Its own options, for {@link PlainArgs}. */
    static final PlainArgs.Names NAMES = new PlainArgs.Names(Set.of("--json", "--per-node"),
            Set.of("--top", "--html"), Set.of()).plus(ShapeOptions.NAMES).plus(ReaderOptions.NAMES);

    /**
     * The command for {@code args} ({@code inspect ...}) read without picocli, or null when the line is
     * not plain (help, an error, ...) and picocli must read it.
     */
    static InspectCommand plain(String[] args) {
        PlainArgs a = PlainArgs.read(args, 1, NAMES);
        if (a == null || a.positionals.size() != 1) {
            return null;
        }
        InspectCommand c = new InspectCommand();
        c.shapes = new ShapeOptions();
        c.reader = new ReaderOptions();
        try {
            c.file = PlainArgs.path(a.positionals.get(0));
            c.json = a.flag("--json");
            c.perNode = a.flag("--per-node");
            c.top = a.intValue("--top", 10);
            c.html = a.path("--html", null);
            c.shapes.read(a);
            c.reader.read(a);
        } catch (PlainArgs.NotPlain e) {
            return null;
        }
        return c;
    }

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    int run(PrintWriter out, PrintWriter err) {
        AnalysisOptions analysis = shapes.analysisOptions(err);
        if (analysis == null) {
            return Main.UNREADABLE;
        }
        Report report = reader.analyze(file, analysis, err);
        if (report == null) {
            return Main.UNREADABLE;
        }
        out.print(json ? JsonReport.pretty(report) + "\n" : TextReport.render(report, top, perNode));
        out.flush();
        if (html != null) {
            try {
                Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: " + html + ": " + IoMessages.describe(e));
                err.flush();
                return Main.UNREADABLE;
            }
        }
        return Main.OK;
    }

}
