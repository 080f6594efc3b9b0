package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.registry.ModelFormats;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.ir.Model;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.KerasFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Detection by content, and one-line errors for broken or unsupported files. */
class KerasFormatTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
        "conv_pool_dense.h5, keras-h5",
        "conv_pool_dense.weights.h5, keras-weights-h5",
        "conv_pool_dense.k2.weights.h5, keras-weights-h5",
        "conv_pool_dense.keras, keras-v3",
    })
    void detectsEachLayout(String file, String format) throws Exception {
        assertEquals(format, ModelFormats.detect(Fixtures.path("keras/" + file)).id());
    }

    /** Content decides; a misleading name does not. */
    @ParameterizedTest
    @CsvSource({
        "conv_pool_dense.weights.h5, model.h5, keras-weights-h5",
        "conv_pool_dense.k2.weights.h5, model.hdf5, keras-weights-h5",
        "conv_pool_dense.h5, model.weights.h5, keras-h5",
        "conv_pool_dense.keras, model.zip, keras-v3",
        "conv_pool_dense.h5, model.onnx, keras-h5",
    })
    void contentWinsOverExtension(String file, String renamed, String format) throws Exception {
        Path copy = Files.copy(Fixtures.path("keras/" + file), tmp.resolve(renamed));
        assertEquals(format, ModelFormats.detect(copy).id());
        assertEquals(format, ModelTally.read(copy, dev.modeltally.format.Limits.DEFAULT).format());
    }

    @Test
    void hdf5ThatIsNotKerasIsUnsupported() throws Exception {
        Path p = tmp.resolve("data.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putDataset("measurements", new float[] {1, 2, 3});
        }
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> ModelTally.read(p,
                dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("HDF5 file that is not a Keras model"), e.getMessage());
    }

    @Test
    void zipWithoutKerasEntriesIsNotKeras() throws Exception {
        Path p = tmp.resolve("other.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        ModelReadException e = assertThrows(ModelReadException.class, () -> ModelFormats.detect(p));
        assertTrue(e.getMessage().contains("zip archive that is not a .keras model"), e.getMessage());
    }

    @Test
    void keras2LegacyWeightsWithoutConfigAreWeightsOnly() throws Exception {
        Path p = KerasFiles.legacyH5(tmp.resolve("legacy.h5"), null,
                java.util.List.of(KerasFiles.Layer.of("dense", "dense/kernel:0", new int[] {3, 2},
                        "dense/bias:0", new int[] {2})));
        Model m = ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT);
        assertEquals("keras-weights-h5", m.format());
        assertFalse(m.hasGraph());
        assertEquals(8, ModelTally.analyze(p, ModelTally.Options.DEFAULT).parameters().total());
    }

    @Test
    void compressedWeightsEntryIsAClearError() throws Exception {
        Path p = KerasFiles.rezip(Fixtures.path("keras/conv_pool_dense.keras"), tmp.resolve("deflated.keras"),
                Map.of(), Set.of("model.weights.h5"));
        assertEquals("keras-v3", ModelFormats.detect(p).id());
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("model.weights.h5 is compressed"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void compressedJsonEntriesAreFine() throws Exception {
        Path p = KerasFiles.rezip(Fixtures.path("keras/conv_pool_dense.keras"), tmp.resolve("deflated-json.keras"),
                Map.of(), Set.of("config.json", "metadata.json"));
        assertEquals(2469, ModelTally.analyze(p, ModelTally.Options.DEFAULT).parameters().total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_pool_dense.h5", "conv_pool_dense.weights.h5", "conv_pool_dense.k2.weights.h5",
        "vgg16.h5", "conv_pool_dense.keras", "vgg16.keras"})
    void truncatedFilesAreCorrupt(String name) throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.path("keras/" + name));
        for (int cut : new int[] {64, 600, all.length / 4, all.length / 2, all.length - 1}) {
            Path p = tmp.resolve(cut + "-" + name);
            Files.write(p, Arrays.copyOf(all, cut));
            ModelReadException e = assertThrows(ModelReadException.class, () -> ModelTally.read(p,
                    dev.modeltally.format.Limits.DEFAULT), name + " cut at " + cut);
            assertTrue(e instanceof CorruptModelException, name + " cut at " + cut + ": " + e);
            assertOneLine(e);
        }
    }

    @Test
    void deeplyNestedConfigIsACleanError() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Path p = KerasFiles.rezip(Fixtures.path("keras/conv_pool_dense.keras"), tmp.resolve("deep.keras"),
                Map.of("config.json", deep.getBytes(StandardCharsets.UTF_8)), Set.of());
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("config.json exceeds a limit"), e.getMessage());
        assertOneLine(e);

        // An attribute must fit in an HDF5 object header (64 KiB): 20,000 levels is still far past the limit.
        String deepButSmall = "[".repeat(20_000) + "]".repeat(20_000);
        Path h5 = KerasFiles.legacyH5(tmp.resolve("deep.h5"), "{\"a\":" + deepButSmall + "}", java.util.List.of());
        e = assertThrows(CorruptModelException.class, () -> ModelTally.read(h5, dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("model_config exceeds a limit"), e.getMessage());
    }

    @Test
    void oversizedConfigIsRefusedBeforeParsing() throws Exception {
        dev.modeltally.format.Limits d = dev.modeltally.format.Limits.DEFAULT;
        dev.modeltally.format.Limits small = new dev.modeltally.format.Limits(d.maxNodes(), d.maxSubgraphDepth(),
                d.maxStringBytes(), d.maxRank(), d.maxJsonDepth(), 1000, d.maxAttributeBytes(), d.maxHdf5Objects());
        for (String name : new String[] {"conv_pool_dense.keras", "conv_pool_dense.h5"}) {
            CorruptModelException e = assertThrows(CorruptModelException.class,
                    () -> ModelTally.read(Fixtures.path("keras/" + name), small));
            assertTrue(e.getMessage().contains("exceeds the limit 1000"), e.getMessage());
        }
    }

    @Test
    void notJsonConfigIsCorrupt() throws Exception {
        Path p = KerasFiles.rezip(Fixtures.path("keras/conv_pool_dense.keras"), tmp.resolve("bad.keras"),
                Map.of("config.json", "{\"class_name\": ".getBytes(StandardCharsets.UTF_8)), Set.of());
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("config.json is not valid JSON"), e.getMessage());
    }

    @Test
    void weightsEntryThatIsNotHdf5IsCorrupt() throws Exception {
        Path p = KerasFiles.rezip(Fixtures.path("keras/conv_pool_dense.keras"), tmp.resolve("junk.keras"),
                Map.of("model.weights.h5", new byte[4096]), Set.of());
        ModelReadException e = assertThrows(ModelReadException.class,
                () -> ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT));
        assertTrue(e.getMessage().startsWith("model.weights.h5: "), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void hdf5ObjectLimitHolds() throws Exception {
        dev.modeltally.format.Limits d = dev.modeltally.format.Limits.DEFAULT;
        dev.modeltally.format.Limits small = new dev.modeltally.format.Limits(d.maxNodes(), d.maxSubgraphDepth(),
                d.maxStringBytes(), d.maxRank(), d.maxJsonDepth(), d.maxJsonBytes(), d.maxAttributeBytes(), 50);
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> ModelTally.read(Fixtures.path("keras/vgg16.weights.h5"), small));
        assertTrue(e.getMessage().contains("HDF5 object count"), e.getMessage());
    }

    @Test
    void userBlockBeforeTheSignatureIsFound() throws Exception {
        byte[] h5 = Files.readAllBytes(Fixtures.path("keras/conv_pool_dense.h5"));
        // HDF5 allows a user block of 512·2^n bytes before the superblock: the probe must look there.
        byte[] withBlock = new byte[512 + h5.length];
        System.arraycopy(h5, 0, withBlock, 512, h5.length);
        Path p = tmp.resolve("userblock.h5");
        Files.write(p, withBlock);
        assertTrue(Hdf5Signature.plausible(p, java.nio.ByteBuffer.wrap(withBlock, 0, 4096).slice()));
    }

    @Test
    void probesNeverThrow() throws Exception {
        byte[] hdf5Magic = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0};
        byte[] zipMagic = {'P', 'K', 3, 4, 0, 0};
        for (byte[] head : new byte[][] {hdf5Magic, zipMagic}) {
            Path p = tmp.resolve("garbage.keras");
            Files.write(p, head);
            try (var source = dev.modeltally.format.LocalSource.open(p)) {
                var probe = dev.modeltally.format.Probe.of(source);
                for (var f : ModelFormats.all()) {
                    f.match(probe).ifPresent(dev.modeltally.format.Match::close); // must not throw
                }
            }
            assertThrows(ModelReadException.class, () -> ModelTally.read(p, dev.modeltally.format.Limits.DEFAULT));
        }
    }

    static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().length() <= 300, e.getMessage());
    }
}
