package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.LocalSource;
import dev.modeltally.format.Probe;
import dev.modeltally.format.SourceInput;
import dev.modeltally.format.ZipDirectory;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * An architecture supplied from outside a weights-only file ({@code --config}): a Keras model config
 * JSON ({@code model.to_json()}, or the {@code config.json} of a {@code .keras} archive), or a
 * {@code .keras} archive whose config.json is used, or a legacy full-model {@code .h5} (its
 * {@code model_config} attribute). Read with the same bounds as a config inside a
 * model file; nothing in it is run.
 *
 * @param source how reports name it (the path, plus the archive entry when there is one)
 */
record KerasArchitecture(JsonNode config, String source) {

    static KerasArchitecture load(Path path, Limits limits) throws IOException, ModelReadException {
        String name = "--config " + path;
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file (given with --config)");
        }
        LocalSource source;
        try {
            source = LocalSource.open(path); // a FIFO or device would block or never end: refused unopened
        } catch (UnsupportedModelException e) {
            throw new UnsupportedModelException(name + ": not a regular file", e);
        }
        try (source) {
            long size = source.size();
            if (size == 0) {
                throw new CorruptModelException(name + ": empty file");
            }
            Probe probe = Probe.of(source);
            if (probe.isZip()) {
                ZipDirectory zip = probe.zip();
                if (zip == null) {
                    throw new CorruptModelException(name + ": not a readable zip archive: "
                            + probe.zipFailure().getMessage(), probe.zipFailure());
                }
                JsonNode config = KerasV3Format.config(zip, name + ": ", limits);
                return new KerasArchitecture(check(config, name), path + "!" + KerasV3Format.CONFIG);
            }
            if (Hdf5Signature.plausible(path, probe.head())) {
                return new KerasArchitecture(check(h5Config(source, name, limits), name), path + "!model_config");
            }
            Limits.check(name + " size in bytes", size, limits.maxJsonBytes(), "--max-json-bytes");
            byte[] bytes;
            try (InputStream in = new SourceInput(source, 0, size)) {
                bytes = in.readNBytes((int) Math.min(limits.maxJsonBytes() + 1, Integer.MAX_VALUE - 16));
            }
            return new KerasArchitecture(check(KerasJson.parse(bytes, name, limits), name), path.toString());
        }
    }

    /** The model_config attribute of a legacy full-model HDF5 file ({@code model.save("x.h5")}). */
    private static JsonNode h5Config(LocalSource source, String name, Limits limits)
            throws IOException, ModelReadException {
        try (Hdf5 h5 = Hdf5.open(source, limits, new ArrayList<>())) {
            String text = h5.stringAttribute(h5.root(), "model_config", limits.maxJsonBytes())
                    .orElseThrow(() -> new UnsupportedModelException(name + ": an HDF5 file without a model_config "
                            + "attribute (a weights-only file has no architecture to give)"));
            return KerasJson.parse(text, name, limits);
        } catch (RuntimeException e) {
            throw Hdf5.wrap(e, name + ": HDF5");
        } catch (StackOverflowError e) {
            throw new CorruptModelException(name + ": HDF5 structure nested too deeply");
        }
    }

    /** The shape every Keras model config has: an object naming its class and holding its config. */
    private static JsonNode check(JsonNode n, String name) throws UnsupportedModelException {
        if (!n.isObject() || !n.path("class_name").isTextual() || !n.path("config").isObject()) {
            throw new UnsupportedModelException(name + ": not a Keras model config (expected a JSON object with "
                    + "class_name and config, as model.to_json() or a .keras archive's config.json)");
        }
        return n;
    }
}
