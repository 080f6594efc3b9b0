package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.Confidence;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.Match;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Probe;
import dev.modeltally.format.Source;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.format.ZipDirectory;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Keras 3 {@code .keras} archive: a zip with config.json, metadata.json and model.weights.h5.
 * Nothing is extracted: the probe's central directory is reused, the JSON entries are read with size
 * bounds, and the weights entry, which Keras stores uncompressed, is read in place through the
 * source (jhdf sees a slice of it) after its local header is checked.
 */
public final class KerasV3Format implements ModelFormat {

    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Keras writes three entries plus assets; more than this is not a model archive. */
    static final int MAX_ENTRIES = Probe.MAX_ZIP_ENTRIES;
    private static final long MAX_METADATA_BYTES = 1 << 20;
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
    public Optional<Match> match(Probe probe) {
        if (!probe.isZip()) {
            return Optional.empty();
        }
        boolean named = probe.named(extensions());
        ZipDirectory zip = probe.zip();
        if (zip == null) {
            return named ? Optional.of(new Match(this, Confidence.LOW, probe)) : Optional.empty(); // read() says why
        }
        boolean config = zip.entry(CONFIG) != null;
        if (config && zip.entry(WEIGHTS) != null) {
            return Optional.of(new Match(this, Confidence.HIGH, probe));
        }
        return config && named ? Optional.of(new Match(this, Confidence.MEDIUM, probe)) : Optional.empty();
    }

    @Override
    public Model read(Match match, Limits limits, Path architecture) throws IOException, ModelReadException {
        Probe probe = match.probe();
        ZipDirectory zip = probe.zip();
        if (zip == null) {
            throw probe.zipFailure() != null ? probe.zipFailure()
                    : new CorruptModelException("not a readable zip archive");
        }
        JsonNode config = config(zip, "", limits);
        ZipDirectory.Entry weights = zip.entry(WEIGHTS);
        if (weights == null) {
            throw new UnsupportedModelException(missingWeights(zip));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        ZipDirectory.Entry md = zip.entry(METADATA);
        if (md != null) {
            JsonNode m = KerasJson.parse(zip.readBounded(md, MAX_METADATA_BYTES, "--max-json-bytes"), METADATA, limits);
            for (String k : List.of("keras_version", "date_saved")) {
                if (m.path(k).isTextual()) {
                    meta.put(k, m.get(k).asText());
                }
            }
        }
        if (!weights.stored()) {
            throw new UnsupportedModelException(WEIGHTS + " is compressed (zip method " + weights.method()
                    + ", DEFLATE) in this archive; modeltally reads it in place only when stored uncompressed,"
                    + " as Keras writes it: unzip the archive and inspect " + WEIGHTS + " itself");
        }
        if (weights.compressedSize() != weights.size()) {
            throw new CorruptModelException("zip: the central directory entry of " + WEIGHTS
                    + " is inconsistent (method, sizes)");
        }
        Source inner = zip.stored(weights);
        Model m = KerasReader.fromConfig(config, inner, meta, limits);
        return ModelFormat.architectureIgnored(m, architecture, id());
    }

    /**
     * The archive's config.json, parsed with the size, depth and entry-count bounds; {@code what}
     * prefixes messages (empty for the model itself, "--config FILE: " for a supplied architecture).
     */
    static JsonNode config(ZipDirectory zip, String what, Limits limits) throws IOException, ModelReadException {
        if (zip.size() > MAX_ENTRIES) {
            throw new CorruptModelException(what + "zip: " + zip.size() + " entries exceed the limit " + MAX_ENTRIES
                    + " for a .keras archive");
        }
        ZipDirectory.Entry cfg = zip.entry(CONFIG);
        if (cfg == null) {
            throw new UnsupportedModelException(what + "a zip archive without " + CONFIG + " is not a .keras model");
        }
        return KerasJson.parse(zip.readBounded(cfg, limits.maxJsonBytes(), "--max-json-bytes"), what + CONFIG, limits);
    }

    private static String missingWeights(ZipDirectory zip) {
        if (zip.entry("model.weights.npz") != null) {
            return ".keras archive keeps its weights as model.weights.npz, which modeltally does not read";
        }
        if (zip.entry("model.weights.json") != null) {
            return ".keras archive keeps sharded weights (model.weights.json), which modeltally does not read yet";
        }
        return ".keras archive has no " + WEIGHTS;
    }
}
