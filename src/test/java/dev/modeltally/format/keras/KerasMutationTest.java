package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modeltally.ModelTally;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flipped bytes anywhere in a Keras file: reading either works or fails with a one-line
 * ModelReadException; never another exception, a stack overflow or a hang.
 */
class KerasMutationTest {

    private static final int MUTANTS = Integer.getInteger("keras.mutants", 400);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"shared_layer.h5", "nested_model.weights.h5", "conv_pool_dense.k2.weights.h5",
        "nested_model.keras"})
    void mutatedFilesFailCleanly(String name) throws Exception {
        byte[] original = Files.readAllBytes(Fixtures.path("keras/" + name));
        Random rnd = new Random(name.hashCode());
        Path p = tmp.resolve(name);
        for (int i = 0; i < MUTANTS; i++) {
            byte[] b = original.clone();
            int flips = 1 + rnd.nextInt(4);
            // Bias towards the first 8 KiB, where HDF5 headers and zip entries begin.
            for (int k = 0; k < flips; k++) {
                int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(8192, b.length)) : rnd.nextInt(b.length);
                b[at] = (byte) rnd.nextInt(256);
            }
            Files.write(p, b);
            try {
                if (i % 4 == 3) { // a source that cannot be mapped: jhdf reads through the paged channel
                    ModelTally.analyze(new dev.modeltally.format.BytesSource(name, b), ModelTally.Options.DEFAULT);
                } else {
                    ModelTally.analyze(p, ModelTally.Options.DEFAULT);
                }
            } catch (ModelReadException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } catch (Throwable t) {
                fail(name + " mutant " + i + ": " + t, t);
            }
        }
    }
}
