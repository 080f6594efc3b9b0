package dev.modeltally.cli;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.ModelDiff;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.DiffReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modeltally diff A B}: what differs between two models. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare two models (e.g. a Keras original and its ONNX export, or two versions): totals, "
                + "inputs/outputs, per-layer parameters aligned by name or by order, and likely reasons.",
            "Exit 0 (whatever the differences), 2 when a file cannot be read."})
final class DiffCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A")
    Path a;

    @Parameters(index = "1", paramLabel = "B")
    Path b;

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @CommandLine.Mixin
    ReaderOptions reader;

    @CommandLine.Mixin
    ShapeOptions shapes;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        AnalysisOptions analysis = shapes.analysisOptions(err);
        if (analysis == null) {
            return Main.UNREADABLE;
        }
        Report ra = reader.analyze(a, analysis, err);
        Report rb = reader.analyze(b, analysis, err);
        if (ra == null || rb == null) {
            return Main.UNREADABLE;
        }
        ModelDiff d = ModelDiff.of(ra, rb);
        var out = spec.commandLine().getOut();
        out.print(json ? DiffReport.json(d).toPrettyString() + "\n" : DiffReport.text(d));
        out.flush();
        return Main.OK;
    }
}
