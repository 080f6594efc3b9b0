package dev.modeltally.bench;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Formula;
import dev.modeltally.analysis.FormulaEstimate;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Model;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times what the symbolic pass adds to the whole analysis, in-process and warm, runs interleaved:
 * {@code Analyzer.analyze} with no input shapes, with the formula and without it
 * ({@code AnalysisOptions.withFormula(false)}, i.e. {@code --no-formula}); the ratio of the medians
 * is what the formula costs. Also {@code FormulaEstimate.of} alone. Usage: {@code FormulaBench MODEL.onnx runs}.
 */
public final class FormulaBench {

    private FormulaBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Model model = ModelTally.read(file, Limits.DEFAULT);
        AnalysisOptions options = AnalysisOptions.DEFAULT;
        AnalysisOptions without = options.withFormula(false);
        for (int i = 0; i < 10; i++) { // warm-up, not timed
            Analyzer.analyze(model, file.toString(), options);
            Analyzer.analyze(model, file.toString(), without);
        }
        double[] full = new double[runs];
        double[] plain = new double[runs];
        double[] formula = new double[runs];
        double[] fullCpu = new double[runs];
        double[] plainCpu = new double[runs];
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        Formula f = null;
        for (int i = 0; i < runs; i++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Analyzer.analyze(model, file.toString(), options);
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            Analyzer.analyze(model, file.toString(), without);
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            fullCpu[i] = (c1 - c0) / 1e6;
            plainCpu[i] = (c2 - c1) / 1e6;
            f = FormulaEstimate.of(model, options);
            long t3 = System.nanoTime();
            full[i] = (t1 - t0) / 1e6;
            plain[i] = (t2 - t1) / 1e6;
            formula[i] = (t3 - t2) / 1e6;
        }
        double a = median(full);
        double b = median(plain);
        double s = median(formula);
        System.out.printf("model      %s: %,d nodes%n", file, model.graph().nodes().size());
        System.out.printf("formula    MACs = %s%n", f == null ? "(none)" : f.text(f.macs()));
        System.out.printf("           partial: %s%n", f == null ? "-" : f.partial().size() + " node(s)");
        System.out.printf("analysis   median %7.1f ms with the formula (first %.1f ms)%n", a, full[0]);
        System.out.printf("analysis   median %7.1f ms without it, --no-formula (first %.1f ms)%n", b, plain[0]);
        System.out.printf("formula    median %7.1f ms (the symbolic pass alone; first %.1f ms)%n", s, formula[0]);
        System.out.printf("ratio      %.2fx  (analysis with the formula / without it, medians; target <= 2x)%n", a / b);
        // the analysing thread's own CPU time: what a busy machine's other work does not inflate (GC threads apart)
        System.out.printf("cpu        median %7.1f ms with, %7.1f ms without: %.2fx%n", median(fullCpu), median(plainCpu),
                median(fullCpu) / median(plainCpu));
    }

    private static double median(double[] xs) {
        double[] rest = Arrays.copyOfRange(xs, xs.length > 1 ? 1 : 0, xs.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }
}
