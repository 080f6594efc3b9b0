package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.Confidence;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelFormats;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The Keras 3 {@code .keras} archive: a zip with config.json, metadata.json and model.weights.h5.
 * Nothing is extracted: the JSON entries are read with size bounds, and the weights entry, which Keras
 * stores uncompressed, is memory-mapped in place and handed to jhdf as a buffer.
 */
public final class KerasV3Format implements ModelFormat {

    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Keras writes three entries plus assets; more than this is not a model archive. */
    static final int MAX_ENTRIES = 65_536;
    private static final long MAX_METADATA_BYTES = 1 << 20;
    private static final long MAX_RATIO = 200;
    static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    @Override
    public String id() {
        return "keras-v3";
    }

    @Override
    public List<String> extensions() {
        return List.of(".keras");
    }

    @Override
    public Optional<Confidence> probe(Path path, ByteBuffer head) {
        if (!ModelFormats.startsWith(head, ZIP_MAGIC)) {
            return Optional.empty();
        }
        boolean named = path.getFileName() != null
                && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".keras");
        try (ZipFile zip = new ZipFile(path.toFile())) {
            boolean config = zip.getEntry(CONFIG) != null;
            if (config && zip.getEntry(WEIGHTS) != null) {
                return Optional.of(Confidence.HIGH);
            }
            return config && named ? Optional.of(Confidence.MEDIUM) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return named ? Optional.of(Confidence.LOW) : Optional.empty(); // read() reports the damage
        }
    }

    @Override
    public Model read(Path path, Limits limits) throws IOException, ModelReadException {
        JsonNode config;
        Map<String, String> meta = new LinkedHashMap<>();
        ZipEntry weights;
        try (ZipFile zip = new ZipFile(path.toFile())) {
            config = config(zip, "", limits);
            weights = zip.getEntry(WEIGHTS);
            if (weights == null) {
                throw new UnsupportedModelException(missingWeights(zip));
            }
            ZipEntry md = zip.getEntry(METADATA);
            if (md != null) {
                JsonNode m = KerasJson.parse(readBounded(zip, md, MAX_METADATA_BYTES), METADATA, limits);
                for (String k : List.of("keras_version", "date_saved")) {
                    if (m.path(k).isTextual()) {
                        meta.put(k, m.get(k).asText());
                    }
                }
            }
            if (weights.getMethod() != ZipEntry.STORED) {
                throw new UnsupportedModelException(WEIGHTS + " is compressed (zip method " + weights.getMethod()
                        + ", DEFLATE) in this archive; modeltally reads it in place only when stored uncompressed,"
                        + " as Keras writes it: unzip the archive and inspect " + WEIGHTS + " itself");
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new CorruptModelException("not a readable zip archive: " + e, e);
        }
        return KerasReader.fromConfig(config, mapWeights(path, weights), meta, limits);
    }

    /**
     * The archive's config.json, parsed with the size, depth and entry-count bounds; {@code what}
     * prefixes messages (empty for the model itself, "--config FILE: " for a supplied architecture).
     */
    static JsonNode config(ZipFile zip, String what, Limits limits) throws IOException, ModelReadException {
        if (zip.size() > MAX_ENTRIES) {
            throw new CorruptModelException(what + "zip: " + zip.size() + " entries exceed the limit " + MAX_ENTRIES
                    + " for a .keras archive");
        }
        ZipEntry cfg = zip.getEntry(CONFIG);
        if (cfg == null) {
            throw new UnsupportedModelException(what + "a zip archive without " + CONFIG + " is not a .keras model");
        }
        return KerasJson.parse(readBounded(zip, cfg, limits.maxJsonBytes()), what + CONFIG, limits);
    }

    private static String missingWeights(ZipFile zip) {
        if (zip.getEntry("model.weights.npz") != null) {
            return ".keras archive keeps its weights as model.weights.npz, which modeltally does not read";
        }
        if (zip.getEntry("model.weights.json") != null) {
            return ".keras archive keeps sharded weights (model.weights.json), which modeltally does not read yet";
        }
        return ".keras archive has no " + WEIGHTS;
    }

    /** Maps exactly the bytes of the stored weights entry, after checking both zip directories agree. */
    private static ByteBuffer mapWeights(Path path, ZipEntry expected) throws IOException, ModelReadException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ZipLocator.Entry e = ZipLocator.locate(ch, WEIGHTS, MAX_ENTRIES);
            if (e == null || e.method() != ZipEntry.STORED || e.compressedSize() != e.size()
                    || e.compressedSize() != expected.getCompressedSize()) {
                throw new CorruptModelException("zip: the central directory entry of " + WEIGHTS
                        + " is inconsistent (method, sizes)");
            }
            if (e.size() > Integer.MAX_VALUE) {
                throw new UnsupportedModelException(WEIGHTS + " of " + e.size()
                        + " bytes inside a .keras archive is over 2 GiB, which modeltally cannot map yet");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.size());
        }
    }

    /** An entry's bytes, refusing more than {@code max} whatever its header claims. */
    static byte[] readBounded(ZipFile zip, ZipEntry e, long max) throws IOException, ModelReadException {
        Limits.check(e.getName() + " size in bytes", e.getSize(), max, "--max-json-bytes");
        long packed = e.getCompressedSize();
        if (e.getMethod() != ZipEntry.STORED && packed > 0 && e.getSize() > MAX_RATIO * packed
                && e.getSize() > 1 << 20) {
            // JSON compresses about 10:1; far more is a zip bomb whatever the size limit says.
            throw new CorruptModelException(e.getName() + " expands " + e.getSize() / packed
                    + " times (limit " + MAX_RATIO + "): refusing to inflate it");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
            Limits.check(e.getName() + " size in bytes", bytes.length, max, "--max-json-bytes");
            return bytes;
        } catch (ZipException | java.io.EOFException ex) {
            // An entry whose data ends early or does not inflate: the archive is broken, not the disk.
            throw new CorruptModelException(e.getName() + " cannot be read from the archive: " + ex, ex);
        }
    }
}
