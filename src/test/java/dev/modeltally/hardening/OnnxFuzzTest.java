package dev.modeltally.hardening;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the ONNX reader and the analysis behind it. Any exception other than
 * the reader's two documented ones (or an I/O error) is a bug. In a normal test run only the seed
 * corpus (OnnxFuzzTestInputs/) and committed crash inputs run; with JAZZER_FUZZ=1 Jazzer mutates
 * them for the annotation's maxDuration.
 */
class OnnxFuzzTest {

    /** Small limits keep each execution fast; they are part of what is being tested. */
    static final Limits LIMITS = new Limits(20_000, 16, 1 << 16, 16, 64, 1 << 20, 1 << 16, 10_000);

    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path dir = Files.createTempDirectory("modeltally-fuzz");
            dir.toFile().deleteOnExit();
            return dir.resolve("input.onnx");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    });

    @FuzzTest(maxDuration = "40s")
    void fuzzOnnx(byte[] input) throws IOException {
        Path p = FILE.get();
        Files.write(p, input);
        try {
            ModelTally.analyze(p, new ModelTally.Options(LIMITS, AnalysisOptions.DEFAULT));
        } catch (ModelReadException expected) {
            if (expected.getMessage().contains("\n")) {
                throw new AssertionError("multi-line message: " + expected.getMessage());
            }
        }
    }
}
