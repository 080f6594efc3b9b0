package dev.modeltally.jmh;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One whole {@code ModelTally.analyze(Path, Options)} per operation — open, probe, read, analyse, close —
 * warm (after JMH's warm-up iterations), as a library user or the Spark job calls it. Run with
 * {@code -prof gc} for the allocation per analysis. {@code model} is a path, optionally followed by
 * {@code @NAME=DIMS[;NAME=DIMS...]} input shapes; bench/analyze-inprocess.sh passes the files.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AnalyzeBench {

    @Param({"bench/work/vgg16-inline.onnx"})
    public String model;

    private Path path;
    private ModelTally.Options options;

    @Setup
    public void setUp() {
        int at = model.indexOf('@');
        path = Path.of(at < 0 ? model : model.substring(0, at));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        if (at >= 0) {
            for (String spec : model.substring(at + 1).split(";")) {
                int eq = spec.lastIndexOf('=');
                long[] dims = Arrays.stream(spec.substring(eq + 1).split("x")).mapToLong(Long::parseLong).toArray();
                shapes.put(spec.substring(0, eq), Shape.of(dims));
            }
        }
        options = new ModelTally.Options(Limits.DEFAULT, new AnalysisOptions(shapes, 0));
    }

    @Benchmark
    public Report analyze() throws Exception {
        return ModelTally.analyze(path, options);
    }
}
