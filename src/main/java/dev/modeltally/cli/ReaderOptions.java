package dev.modeltally.cli;

import dev.modeltally.IoMessages;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** Options every command that reads models shares: limits, --config and --debug. */
final class ReaderOptions {

    @Option(names = "--debug", description = "Show a stack trace when a file cannot be read.")
    boolean debug;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Architecture for weights-only Keras files (.weights.h5, save_weights .h5): a config "
                    + "JSON (model.to_json(), or a .keras archive's config.json), a .keras archive or a full-model .h5. "
                    + "With it they "
                    + "get shapes, compute and the trainable split; other files ignore it.")
    Path kerasConfig;

    @Option(names = "--max-nodes", paramLabel = "N", description = "Most graph nodes read per file (default 2,000,000).")
    int maxNodes = Limits.DEFAULT.maxNodes();

    @Option(names = "--max-subgraph-depth", paramLabel = "N", description = "Deepest subgraph nesting (default 64).")
    int maxSubgraphDepth = Limits.DEFAULT.maxSubgraphDepth();

    @Option(names = "--max-string-bytes", paramLabel = "N", description = "Largest metadata string (default 1 MiB).")
    int maxStringBytes = Limits.DEFAULT.maxStringBytes();

    @Option(names = "--max-rank", paramLabel = "N", description = "Highest tensor rank (default 64).")
    int maxRank = Limits.DEFAULT.maxRank();

    @Option(names = "--max-attribute-bytes", paramLabel = "N",
            description = "Largest attribute list, in bytes (default 16 MiB).")
    long maxAttributeBytes = Limits.DEFAULT.maxAttributeBytes();

    @Option(names = "--max-json-depth", paramLabel = "N",
            description = "Deepest nesting of a Keras config JSON (default 256).")
    int maxJsonDepth = Limits.DEFAULT.maxJsonDepth();

    @Option(names = "--max-json-bytes", paramLabel = "N",
            description = "Largest Keras config JSON, in bytes (default 64 MiB).")
    long maxJsonBytes = Limits.DEFAULT.maxJsonBytes();

    @Option(names = "--max-hdf5-objects", paramLabel = "N",
            description = "Most HDF5 groups and datasets visited per file (default 1,000,000).")
    int maxHdf5Objects = Limits.DEFAULT.maxHdf5Objects();

    /** Its options, for {@link PlainArgs}. */
    static final PlainArgs.Names NAMES = new PlainArgs.Names(Set.of("--debug"), Set.of("--config", "--max-nodes",
            "--max-subgraph-depth", "--max-string-bytes", "--max-rank", "--max-attribute-bytes", "--max-json-depth",
            "--max-json-bytes", "--max-hdf5-objects"), Set.of());

    /** Takes its options from a command line read without picocli. */
    void read(PlainArgs args) {
        debug = args.flag("--debug");
        kerasConfig = args.path("--config", kerasConfig);
        maxNodes = args.intValue("--max-nodes", maxNodes);
        maxSubgraphDepth = args.intValue("--max-subgraph-depth", maxSubgraphDepth);
        maxStringBytes = args.intValue("--max-string-bytes", maxStringBytes);
        maxRank = args.intValue("--max-rank", maxRank);
        maxAttributeBytes = args.longValue("--max-attribute-bytes", maxAttributeBytes);
        maxJsonDepth = args.intValue("--max-json-depth", maxJsonDepth);
        maxJsonBytes = args.longValue("--max-json-bytes", maxJsonBytes);
        maxHdf5Objects = args.intValue("--max-hdf5-objects", maxHdf5Objects);
    }

    Limits limits() {
        return new Limits(maxNodes, maxSubgraphDepth, maxStringBytes, maxRank, maxJsonDepth, maxJsonBytes,
                maxAttributeBytes, maxHdf5Objects);
    }

    ModelTally.Options options(AnalysisOptions analysis) {
        return new ModelTally.Options(limits(), analysis, kerasConfig);
    }

    /** Analyses one file, or prints {@code error: FILE: message} and returns null. */
    Report analyze(Path file, PrintWriter err) {
        return analyze(file, AnalysisOptions.DEFAULT, err);
    }

    /**
     * Whether {@code --config}, when given, names a readable file; otherwise says so on {@code err}
     * (a typo must not pass silently as "ignored" on files that do not use it).
     */
    boolean configUsable(PrintWriter err) {
        if (kerasConfig == null || Files.isRegularFile(kerasConfig)) {
            return true;
        }
        err.println("error: --config " + kerasConfig + ": " + (Files.exists(kerasConfig) ? "not a regular file"
                : "no such file"));
        err.flush();
        return false;
    }

    Report analyze(Path file, AnalysisOptions analysis, PrintWriter err) {
        if (!configUsable(err)) {
            return null;
        }
        try {
            return ModelTally.analyze(file, options(analysis));
        } catch (ModelReadException e) {
            fail(err, file, e.getMessage(), e);
        } catch (IOException e) {
            fail(err, file, IoMessages.describe(e), e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            fail(err, file, "file needs more resources than its limits allow (" + e.getClass().getSimpleName() + ")",
                    e);
        } catch (RuntimeException e) {
            fail(err, file, "cannot be read: " + e, e);
        }
        return null;
    }

    private void fail(PrintWriter err, Path file, String message, Throwable e) {
        err.println("error: " + file + ": " + message);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}
