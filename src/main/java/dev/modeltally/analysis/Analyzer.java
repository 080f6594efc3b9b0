package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every analysis stage over a model and assembles the report. Pure: no I/O. */
public final class Analyzer {

    private Analyzer() {
    }

    public static Report analyze(Model model, String path, AnalysisOptions options) {
        List<Finding> findings = new ArrayList<>(model.findings());
        ParameterCount.Result params = ParameterCount.of(model);
        findings.addAll(params.findings());
        findings.addAll(ProvenanceCheck.of(model));
        List<Value> outputs = model.graph().outputs();
        Compute compute = null;
        if (model.hasGraph()) {
            try {
                ShapeInference.Result shapes = ShapeInference.run(model, options);
                compute = ComputeEstimate.of(shapes);
                findings.addAll(shapes.findings());
                findings.addAll(CrossCheck.of(model, shapes));
                outputs = KerasOutputs.of(model.graph(), shapes);
            } catch (RuntimeException | StackOverflowError e) {
                // a bug or a pathological graph must not cost the user the parameter report
                findings.add(Finding.error("compute-failed", "shape inference stopped (" + e
                        + "); compute is not estimated", path));
            }
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::code));
        List<NodeParams> nodes = new ArrayList<>(params.nodes());
        return new Report(path, model.format(), model.producer(), model.opsetOrVersion(), model.opsets(),
                model.metadata(), params.parameters(), params.constants(), compute, model.graph().inputs(),
                outputs, nodes, findings, model.hasGraph(), null);
    }
}
