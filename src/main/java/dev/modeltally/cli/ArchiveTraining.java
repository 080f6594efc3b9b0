package dev.modeltally.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The run {@code bin/modeltally} records its class-data archive (JDK 17–23: a static archive dumped from this
 * run's class list) or AOT cache (JDK 24+: {@code -XX:AOTCacheOutput}) from. Both record what one process
 * loads and links, and a run builds only the subcommand it invokes (a plain {@code inspect} line none:
 * {@link PlainArgs}), so this one process runs the common paths in turn:
 * {@code inspect} (table and JSON) of an ONNX, a legacy Keras {@code .h5}, a {@code .keras} and a
 * {@code .weights.h5} file, {@code scan}, {@code verify}, {@code diff} and the help. What they print is
 * thrown away; a failing command only makes the archive cover less.
 * <p>Usage: {@code java -cp modeltally.jar dev.modeltally.cli.ArchiveTraining TESTDATA_DIR}
 */
public final class ArchiveTraining {

    private ArchiveTraining() {
    }

    public static void main(String[] args) {
        Path testdata = Path.of(args.length > 0 ? args[0] : "testdata");
        String onnx = testdata.resolve("onnx/cnn_seed.onnx").toString();
        String otherOnnx = testdata.resolve("onnx/tiny_mlp.onnx").toString();
        String h5 = testdata.resolve("keras/conv_pool_dense.h5").toString();
        String keras = testdata.resolve("keras/conv_pool_dense.keras").toString();
        String weights = testdata.resolve("keras/cnn_seed.weights.h5").toString();
        String[][] runs = {
            {"inspect", onnx},
            {"inspect", "--json", onnx},
            {"inspect", h5},
            {"inspect", "--json", keras},
            {"inspect", weights},
            {"scan", "--quiet", "--format", "jsonl", onnx, h5, keras, weights},
            {"scan", "--quiet", onnx, h5},
            {"verify", onnx, "--params", "1"},
            {"diff", onnx, otherOnnx},
            {"inspect", "--help"},
            {"--help"},
        };
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] run : runs) {
            Main.run(run, discard, discard);
        }
    }
}
