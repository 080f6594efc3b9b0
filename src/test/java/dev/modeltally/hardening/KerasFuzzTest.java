package dev.modeltally.hardening;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.format.ModelReadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the Keras readers (HDF5 via jhdf, .keras zip archives, config JSON) and
 * the analysis behind them. Only the readers' two documented exceptions (or an I/O error) may come
 * out. Seeds: KerasFuzzTestInputs/; fuzzed with JAZZER_FUZZ=1 for the annotation's maxDuration.
 */
class KerasFuzzTest {

    private static final ThreadLocal<Path> DIR = ThreadLocal.withInitial(() -> {
        try {
            Path dir = Files.createTempDirectory("modeltally-fuzz-keras");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    });

    @FuzzTest(maxDuration = "40s")
    void fuzzKeras(byte[] input) throws IOException {
        boolean zip = input.length > 1 && input[0] == 'P' && input[1] == 'K';
        Path p = DIR.get().resolve(zip ? "input.keras" : "input.h5");
        Files.write(p, input);
        try {
            ModelTally.analyze(p, new ModelTally.Options(OnnxFuzzTest.LIMITS, AnalysisOptions.DEFAULT));
        } catch (ModelReadException expected) {
            if (expected.getMessage().contains("\n")) {
                throw new AssertionError("multi-line message: " + expected.getMessage());
            }
        }
    }
}
