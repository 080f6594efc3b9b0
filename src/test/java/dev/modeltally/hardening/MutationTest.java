package dev.modeltally.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken copies of every fixture: truncated at many points, bit-flipped, headers zeroed, garbage,
 * empty. Each must end within seconds with exit 0, 1 or 2, and a failure must be one line of the
 * form {@code error: FILE: message} — never a stack trace, hang or OOM.
 */
class MutationTest {

    private static final int TRUNCATIONS = 12;
    private static final int FLIPS = 12;

    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> mutatedFixtures() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(Fixtures.ROOT)) {
            files = all.filter(Files::isRegularFile).filter(MutationTest::isModel).sorted()
                    .collect(Collectors.toList());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            tests.add(DynamicTest.dynamicTest(Fixtures.ROOT.relativize(f).toString(), () -> mutate(f)));
        }
        tests.add(DynamicTest.dynamicTest("garbage and empty", this::garbage));
        return tests.stream();
    }

    private static boolean isModel(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".onnx") || n.endsWith(".h5") || n.endsWith(".keras");
    }

    private void mutate(Path fixture) throws IOException {
        byte[] original = Files.readAllBytes(fixture);
        String name = fixture.getFileName().toString();
        Path dir = Files.createDirectories(work.resolve(Integer.toHexString(fixture.toString().hashCode())));
        // keep external data next to the mutated copy resolvable the same way as next to the original
        Random random = new Random(name.hashCode());
        List<byte[]> variants = new ArrayList<>();
        for (int i = 1; i <= TRUNCATIONS; i++) {
            variants.add(Arrays.copyOf(original, (int) ((long) original.length * i / (TRUNCATIONS + 1))));
        }
        variants.add(Arrays.copyOf(original, Math.max(0, original.length - 1)));
        for (int i = 0; i < FLIPS; i++) {
            byte[] b = original.clone();
            for (int k = 0; k <= i % 4; k++) {
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 << random.nextInt(8));
            }
            variants.add(b);
        }
        byte[] zeroed = original.clone();
        Arrays.fill(zeroed, 0, Math.min(zeroed.length, 64), (byte) 0);
        variants.add(zeroed);
        byte[] zeroedTail = original.clone();
        Arrays.fill(zeroedTail, zeroedTail.length / 2, zeroedTail.length, (byte) 0);
        variants.add(zeroedTail);
        for (int i = 0; i < variants.size(); i++) {
            Path p = dir.resolve("m" + i + "-" + name);
            Files.write(p, variants.get(i));
            runOn(p);
        }
    }

    private void garbage() throws IOException {
        Random random = new Random(7);
        for (String name : new String[] {"g.onnx", "g.h5", "g.keras", "g.bin"}) {
            for (int size : new int[] {0, 1, 7, 100, 5000}) {
                byte[] b = new byte[size];
                random.nextBytes(b);
                runOn(Files.write(work.resolve(size + name), b));
            }
        }
        runOn(Files.write(work.resolve("hdf.h5"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}));
        runOn(Files.write(work.resolve("zip.keras"), new byte[] {'P', 'K', 3, 4, 0, 0}));
    }

    private static void runOn(Path p) {
        Cli c = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Cli.run("inspect", "--json", p.toString()),
                p.toString());
        assertTrue(c.exitCode() >= 0 && c.exitCode() <= 2, p + " exit " + c.exitCode());
        if (c.exitCode() == 2) {
            String err = c.err().strip();
            assertTrue(err.startsWith("error: " + p + ": "), p + ": " + err);
            assertEquals(1, err.lines().count(), p + ": " + err);
            assertFalse(err.contains("Exception") && err.contains("\tat "), err);
            assertFalse(err.contains("internal error"), p + ": " + err);
        }
    }
}
