package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.ir.Finding;
import dev.modeltally.testing.Fixtures;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --config}: a weights-only file read with its architecture gives what the full model gives
 * (the .keras archive for Keras 3 weights, the full .h5 for Keras 2 save_weights files): totals,
 * trainable split, compute, and no weight findings.
 */
class KerasConfigOptionTest {

    @TempDir
    Path dir;

    /** Models saved in all three forms; their weights files hold exactly the archive's weights. */
    static Stream<String> keras3Pairs() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.path("keras"))) {
            for (Path p : files.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".weights.h5") && !f.endsWith(".k2.weights.h5")) {
                    String name = f.substring(0, f.length() - ".weights.h5".length());
                    if (Files.exists(p.resolveSibling(name + ".keras"))) {
                        names.add(name);
                    }
                }
            }
        }
        assertTrue(names.size() >= 25, names.toString());
        return names.stream();
    }

    static Stream<String> keras2Pairs() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.path("keras"))) {
            for (Path p : files.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".k2.weights.h5")) {
                    names.add(f.substring(0, f.length() - ".k2.weights.h5".length()));
                }
            }
        }
        assertTrue(names.size() >= 8, names.toString());
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("keras3Pairs")
    void keras3WeightsWithTheArchiveConfigCountLikeTheArchive(String name) throws Exception {
        Report full = analyze(Fixtures.path("keras/" + name + ".keras"), null);
        Path config = extractConfig(Fixtures.path("keras/" + name + ".keras"));
        Report fromJson = analyze(Fixtures.path("keras/" + name + ".weights.h5"), config);
        Report fromArchive = analyze(Fixtures.path("keras/" + name + ".weights.h5"),
                Fixtures.path("keras/" + name + ".keras"));
        for (Report r : List.of(fromJson, fromArchive)) {
            assertSame(full, r);
            assertTrue(codes(r).contains("keras-config-supplied"), codes(r).toString());
        }
        assertEquals(Fixtures.path("keras/" + name + ".keras") + "!config.json",
                fromArchive.metadata().get("architecture"));
        assertEquals(config.toString(), fromJson.metadata().get("architecture"));
    }

    @ParameterizedTest
    @MethodSource("keras2Pairs")
    void keras2WeightsWithTheModelConfigCountLikeTheFullModel(String name) throws Exception {
        Path h5 = Fixtures.path("keras/" + name + ".h5");
        Report full = analyze(h5, null);
        Path config = dir.resolve(name + ".json");
        try (HdfFile f = new HdfFile(h5)) {
            Files.writeString(config, (String) f.getAttribute("model_config").getData());
        }
        assertSame(full, analyze(Fixtures.path("keras/" + name + ".k2.weights.h5"), config));
    }

    private static void assertSame(Report full, Report r) {
        String what = r.path();
        assertEquals("keras-weights-h5", r.format(), what);
        assertTrue(r.hasGraph(), what);
        assertEquals(full.parameters().total(), r.parameters().total(), what);
        assertEquals(full.parameters().trainable(), r.parameters().trainable(), what);
        assertEquals(full.parameters().nonTrainable(), r.parameters().nonTrainable(), what);
        assertEquals(full.nodes().size(), r.nodes().size(), what);
        if (full.compute() == null) {
            assertNull(r.compute(), what);
        } else {
            assertNotNull(r.compute(), what);
            assertEquals(full.compute().macs(), r.compute().macs(), what);
            assertEquals(full.compute().flops(), r.compute().flops(), what);
            assertEquals(full.compute().otherFlops(), r.compute().otherFlops(), what);
        }
        List<String> weightCodes = codes(full).stream().filter(c -> c.startsWith("keras-weight")).toList();
        assertEquals(weightCodes, codes(r).stream().filter(c -> c.startsWith("keras-weight")).toList(), what);
        assertEquals(codes(full).contains("keras-lambda"), codes(r).contains("keras-lambda"), what);
    }

    @Test
    void aConfigOfAnotherModelGivesFindingsNotACrash() throws Exception {
        Report r = analyze(Fixtures.path("keras/cnn_seed.weights.h5"), Fixtures.path("keras/mnist_mlp.keras"));
        assertEquals(8_593_034, r.parameters().total(), "every stored weight is still counted");
        assertTrue(codes(r).contains("keras-weight-shape-mismatch"), codes(r).toString());
        assertTrue(codes(r).contains("keras-weight-missing"), codes(r).toString());
        assertTrue(codes(r).contains("keras-weight-extra"), codes(r).toString());
    }

    @Test
    void aLambdaInTheSuppliedConfigIsReported() throws Exception {
        Report r = analyze(Fixtures.path("keras/lambda_layer.weights.h5"), Fixtures.path("keras/lambda_layer.keras"));
        assertTrue(codes(r).contains("keras-lambda"), codes(r).toString());
    }

    @Test
    void filesWithTheirOwnArchitectureIgnoreItAndSaySo() throws Exception {
        for (String f : List.of("onnx/tiny_mlp.onnx", "keras/cnn_seed.h5", "keras/cnn_seed.keras")) {
            Report plain = analyze(Fixtures.path(f), null);
            Report r = analyze(Fixtures.path(f), Fixtures.path("keras/mnist_mlp.keras"));
            assertEquals(plain.parameters().total(), r.parameters().total(), f);
            assertTrue(codes(r).contains("keras-config-ignored"), f + " " + codes(r));
            assertFalse(codes(plain).contains("keras-config-ignored"), f);
        }
    }

    @Test
    void badConfigsAreOneLineErrors() throws Exception {
        Path weights = Fixtures.path("keras/lstm.weights.h5");
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"class_name\": ");
        Path deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000));
        Path empty = Files.createFile(dir.resolve("empty.json"));
        Path zipNoConfig = dir.resolve("x.keras");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zipNoConfig))) {
            z.putNextEntry(new java.util.zip.ZipEntry("other.txt"));
            z.write(1);
        }
        for (Path bad : List.of(array, broken, deep, empty, zipNoConfig, Fixtures.path("onnx/tiny_mlp.onnx"), dir)) {
            Exception e = assertThrows(Exception.class, () -> analyze(weights, bad), bad.toString());
            assertTrue(e instanceof ModelReadException, bad + ": " + e);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("--config"), e.getMessage());
        }
        assertThrows(java.nio.file.NoSuchFileException.class, () -> analyze(weights, dir.resolve("none.json")));
        assertThrows(UnsupportedModelException.class, () -> analyze(weights, array));
    }

    private static List<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    private Path extractConfig(Path archive) throws IOException {
        Path out = dir.resolve(archive.getFileName() + ".config.json");
        try (ZipFile z = new ZipFile(archive.toFile()); InputStream in = z.getInputStream(z.getEntry("config.json"))) {
            Files.copy(in, out);
        }
        return out;
    }

    private static Report analyze(Path file, Path config) throws IOException, ModelReadException {
        return ModelTally.analyze(file, ModelTally.Options.DEFAULT.withKerasConfig(config));
    }
}
