package dev.modeltally;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.format.registry.ModelFormats;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Source;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The library entry point: read a model file (metadata only) and analyse it.
 *
 * <pre>{@code
 * Report r = ModelTally.analyze(Path.of("vgg16.onnx"), ModelTally.Options.DEFAULT);
 * long params = r.parameters().total();
 *
 * try (Stream<Report> rows = ModelTally.scan(List.of(Path.of("zoo")), ModelTally.Options.DEFAULT, 2)) {
 *     rows.filter(r -> !r.failed()).forEach(r -> System.out.println(r.path() + " " + r.parameters().total()));
 * }
 * }</pre>
 */
public final class ModelTally {

    /**
     * Reader limits and analysis options together.
     *
     * @param kerasConfig the architecture for weights-only Keras files (a config JSON or a .keras
     *                    archive), or null; files that carry their own architecture ignore it, with
     *                    a finding
     */
    public record Options(Limits limits, AnalysisOptions analysis, Path kerasConfig) {
        public static final Options DEFAULT = new Options(Limits.DEFAULT, AnalysisOptions.DEFAULT);

        public Options(Limits limits, AnalysisOptions analysis) {
            this(limits, analysis, null);
        }

        public Options withKerasConfig(Path config) {
            return new Options(limits, analysis, config);
        }
    }

    private ModelTally() {
    }

    /** Reads and analyses one file; reading failures are thrown, with a one-line message. */
    public static Report analyze(Path path, Options options) throws IOException, ModelReadException {
        try (Source source = ModelFormats.open(path)) {
            return analyze(source, options);
        }
    }

    /**
     * Reads and analyses the file behind {@code source} (local, or remote through another Source
     * implementation), reading metadata ranges only; the report's {@code io} says what that took.
     * The caller closes the source.
     */
    public static Report analyze(Source source, Options options) throws IOException, ModelReadException {
        Model model = ModelFormats.read(source, options.limits(), options.kerasConfig());
        return Analyzer.analyze(model, source.name(), options.analysis()).withIo(source.stats());
    }

    /** Like {@link #analyze(Source, Options)} but never throws: a bad file is an error report. */
    public static Report analyzeOrError(Source source, Options options) {
        try {
            return analyze(source, options);
        } catch (ModelReadException e) {
            return Report.failed(source.name(), e.kind(), e.getMessage()).withIo(source.stats());
        } catch (IOException e) {
            return Report.failed(source.name(), "io", IoMessages.describe(e)).withIo(source.stats());
        } catch (OutOfMemoryError | StackOverflowError e) {
            return Report.failed(source.name(), "corrupt", "file needs more resources than its limits allow ("
                    + e.getClass().getSimpleName() + ")").withIo(source.stats());
        } catch (RuntimeException e) {
            return Report.failed(source.name(), "corrupt", "cannot be read: " + e).withIo(source.stats());
        }
    }

    /** Scan's discovery rule for one file: a model-like name, or content a format recognises surely. */
    public static boolean looksLikeModel(Source source) {
        return Scanner.looksLikeModel(source);
    }

    /** The name test of scan's discovery alone ({@code .onnx}, {@code .h5}, {@code .hdf5}, {@code .keras}). */
    public static boolean isModelName(String fileName) {
        return Scanner.isModelName(fileName);
    }

    /**
     * Finds model files under {@code roots} (by content) and analyses them on {@code jobs} threads.
     * Reports come in path order; unreadable files are reports with {@code error} set. Close the
     * stream (try-with-resources) to stop early.
     */
    public static Stream<Report> scan(List<Path> roots, Options options, int jobs) throws IOException {
        return Scanner.analyze(Scanner.discover(roots).candidates(), options, jobs, null);
    }

    /** Reads a file into the IR without analysing it. */
    public static Model read(Path path, Limits limits) throws IOException, ModelReadException {
        return ModelFormats.read(path, limits);
    }

    /**
     * Like {@link #analyze} but never throws: a file that cannot be read gives a report whose
     * {@code error} says why (as scan rows do).
     */
    public static Report analyzeOrError(Path path, Options options) {
        Source source;
        try {
            source = ModelFormats.open(path);
        } catch (ModelReadException e) {
            return Report.failed(path.toString(), e.kind(), e.getMessage());
        } catch (IOException e) {
            return Report.failed(path.toString(), "io", IoMessages.describe(e));
        } catch (OutOfMemoryError | StackOverflowError e) {
            return Report.failed(path.toString(), "corrupt", "file needs more resources than its limits allow ("
                    + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            return Report.failed(path.toString(), "corrupt", "cannot be read: " + e);
        }
        try (source) {
            return analyzeOrError(source, options);
        } catch (IOException e) {
            return Report.failed(path.toString(), "io", IoMessages.describe(e)); // close failed
        }
    }
}
