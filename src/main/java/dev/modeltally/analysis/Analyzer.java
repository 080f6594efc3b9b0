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
        findings.addAll(ProvenanceCheck.of(model));
        List<Value> outputs = model.graph().outputs();
        Compute compute = null;
        ShapeInference.Result inferred = null;
        // which Constant nodes hold weights is known from the op rules, so parameters are counted after shapes
        WeightInputs.Result uses = WeightInputs.Result.none();
        if (model.hasGraph()) {
            try {
                ShapeInference.Result shapes = ShapeInference.run(model, options);
                compute = ComputeEstimate.of(shapes);
                findings.addAll(shapes.findings());
                findings.addAll(CrossCheck.of(model, shapes));
                uses = WeightInputs.of(shapes);
                findings.addAll(uses.findings());
                inferred = shapes;
                outputs = KerasOutputs.of(model.graph(), shapes);
            } catch (RuntimeException | StackOverflowError e) {
                // a bug or a pathological graph must not cost the user the parameter report
                findings.add(Finding.error("compute-failed", "shape inference stopped (" + e
                        + "); compute is not estimated", path));
            }
        }
        ParameterCount.Result params = ParameterCount.of(model, uses);
        findings.addAll(params.findings());
        Memory memory = inferred == null ? null : memory(model, inferred, params, path, findings);
        if (compute != null && inferred != null && options.formula()) {
            compute = compute.withFormula(formula(model, options, inferred.topo(), path, findings));
        }
        findings = RepeatedFindings.collapse(findings);
        findings.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::code));
        List<NodeParams> nodes = new ArrayList<>(params.nodes());
        return new Report(path, model.format(), model.producer(), model.opsetOrVersion(), model.opsets(),
                model.metadata(), params.parameters(), params.constants(), compute, model.graph().inputs(),
                outputs, nodes, findings, model.hasGraph(), null, memory);
    }

    /** The cost formula over the symbolic dims; a bug here must not cost the user the rest of the report. */
    private static Formula formula(Model model, AnalysisOptions options, TopoOrder topo, String path,
                                   List<Finding> findings) {
        try {
            return FormulaEstimate.of(model, options, topo);
        } catch (RuntimeException | StackOverflowError e) {
            findings.add(Finding.warning("formula-failed", "the cost formula stopped (" + e + "); it is not given",
                    path));
            return null;
        }
    }

    /** Memory from the inferred shapes; a bug here must not cost the user the rest of the report. */
    private static Memory memory(Model model, ShapeInference.Result shapes, ParameterCount.Result params, String path,
                                 List<Finding> findings) {
        try {
            return MemoryEstimate.of(model.graph(), shapes, params.parameters().bytes(), params.constants().bytes());
        } catch (RuntimeException | StackOverflowError e) {
            findings.add(Finding.error("memory-failed", "the memory estimate stopped (" + e + "); memory is not "
                    + "estimated", path));
            return null;
        }
    }
}
