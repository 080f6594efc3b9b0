package dev.modeltally.bench;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Times reading and analysing (shape inference, compute estimate, cross-checks, parameter count)
 * one model in-process. Usage: {@code ComputeBench MODEL.onnx runs [NAME=DIMS]}. Prints the phases of a
 * cold first run, then the first timed run and the median and best of the rest.
 */
public final class ComputeBench {

    private ComputeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Shape> shapes = Map.of();
        if (args.length > 2) {
            String[] kv = args[2].split("=");
            shapes = Map.of(kv[0], Shape.of(Arrays.stream(kv[1].split("x")).mapToLong(Long::parseLong).toArray()));
        }
        AnalysisOptions options = new AnalysisOptions(shapes, 0);
        // phase split of a first, cold run (JIT not warmed up): what a CLI user waits for
        Model cold = ModelTally.read(file, Limits.DEFAULT);
        long p0 = System.nanoTime();
        dev.modeltally.analysis.ParameterCount.of(cold);
        long p1 = System.nanoTime();
        dev.modeltally.analysis.ShapeInference.Result shapesResult = dev.modeltally.analysis.ShapeInference.run(cold,
                options);
        long p2 = System.nanoTime();
        dev.modeltally.analysis.ComputeEstimate.of(shapesResult);
        long p3 = System.nanoTime();
        dev.modeltally.analysis.CrossCheck.of(cold, shapesResult);
        long p4 = System.nanoTime();
        double[] read = new double[runs];
        double[] analyze = new double[runs];
        Report report = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Model model = ModelTally.read(file, Limits.DEFAULT);
            long t1 = System.nanoTime();
            report = Analyzer.analyze(model, file.toString(), options);
            long t2 = System.nanoTime();
            read[i] = (t1 - t0) / 1e6;
            analyze[i] = (t2 - t1) / 1e6;
        }
        Compute c = report.compute();
        System.out.printf("model     %s: %,d nodes, %,d parameters%n", file, c.nodes().size(),
                report.parameters().total());
        System.out.printf("compute   %,d MACs, %,d FLOPs, %d of %d nodes resolved, lower bound: %s%n", c.macs(),
                c.flops(), c.coverage().shapesResolved(), c.coverage().nodes(), c.lowerBound());
        System.out.printf("read      first %7.1f ms   median %7.1f ms   best %7.1f ms%n", read[0], median(read),
                best(read));
        System.out.printf("analysis  first %7.1f ms   median %7.1f ms   best %7.1f ms   (%d runs)%n", analyze[0],
                median(analyze), best(analyze), runs);
        System.out.printf("cold      parameters %.1f ms, shape inference %.1f ms, compute %.1f ms, cross-check %.1f ms%n",
                (p1 - p0) / 1e6, (p2 - p1) / 1e6, (p3 - p2) / 1e6, (p4 - p3) / 1e6);
    }

    private static double median(double[] xs) {
        double[] rest = Arrays.copyOfRange(xs, xs.length > 1 ? 1 : 0, xs.length);
        Arrays.sort(rest);
        return rest[rest.length / 2];
    }

    private static double best(double[] xs) {
        return Arrays.stream(xs).min().orElse(0);
    }
}
