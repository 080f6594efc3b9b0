package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.format.keras.KerasConfig.ModelSpec;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.format.Source;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Keras HDF5 files: legacy full models ({@code model_config} + {@code /model_weights}) and the
 * three weights-only layouts. The {@code .keras} archive reuses {@link #fromConfig} on its inner
 * weights file. Every jhdf failure is turned into a one-line {@link ModelReadException} here.
 */
final class KerasReader {

    /** What an HDF5 file holds, judged from its root group. */
    enum Layout {
        FULL_MODEL, LEGACY_WEIGHTS, KERAS2_WEIGHTS, KERAS3_WEIGHTS, NOT_KERAS, BROKEN;

        boolean weightsOnly() {
            return this == LEGACY_WEIGHTS || this == KERAS2_WEIGHTS || this == KERAS3_WEIGHTS;
        }
    }

    private KerasReader() {
    }

    static Layout classify(Hdf5 h5) throws ModelReadException {
        Group root = h5.root();
        if (h5.hasAttribute(root, "model_config")) {
            return Layout.FULL_MODEL;
        }
        if (h5.hasAttribute(root, "layer_names") || h5.hasAttribute(root, "layer_names0")) {
            return Layout.KERAS2_WEIGHTS;
        }
        if (h5.group(root, "model_weights").isPresent()) {
            return Layout.LEGACY_WEIGHTS;
        }
        return V3Layout.looksLike(h5, root) ? Layout.KERAS3_WEIGHTS : Layout.NOT_KERAS;
    }

    /**
     * Reads a Keras HDF5 file opened by the match; {@code architecture}, when given, supplies the
     * model config a weights-only file lacks (a full model keeps its own and the supplied one is not used).
     */
    static Model readH5(HdfFile file, Limits limits, KerasArchitecture architecture)
            throws IOException, ModelReadException {
        List<Finding> findings = new ArrayList<>();
        try (Hdf5 h5 = Hdf5.over(file, limits, findings)) {
            Layout layout = classify(h5);
            if (layout == Layout.NOT_KERAS) {
                throw new UnsupportedModelException("an HDF5 file that is not a Keras model (no model_config, "
                        + "layer_names, model_weights or layers group at its root)");
            }
            if (layout == Layout.FULL_MODEL) {
                return fullModel(h5, limits, findings);
            }
            return weightsOnly(h5, layout, architecture, limits, findings);
        } catch (RuntimeException e) {
            throw Hdf5.wrap(e, "HDF5");
        } catch (StackOverflowError e) {
            throw new CorruptModelException("HDF5 structure nested too deeply");
        } catch (OutOfMemoryError e) {
            throw tooLarge("HDF5");
        }
    }

    private static Model fullModel(Hdf5 h5, Limits limits, List<Finding> findings) throws ModelReadException {
        Group root = h5.root();
        String text = h5.stringAttribute(root, "model_config", limits.maxJsonBytes())
                .orElseThrow(() -> new CorruptModelException("root attribute model_config is not a string"));
        ModelSpec spec = KerasConfig.parse(KerasJson.parse(text, "model_config", limits), limits);
        Optional<Group> weights = h5.group(root, "model_weights");
        WeightAssignment assignment = weights.isPresent()
                ? LegacyLayout.assign(h5, weights.get(), spec, findings) : new WeightAssignment();
        KerasCodeScan.scan(spec, findings);
        Graph graph = KerasGraphBuilder.build(spec, assignment, findings, true);
        String version = attr(h5, root, "keras_version");
        String backend = attr(h5, root, "backend");
        Map<String, String> meta = metadata(version, backend, spec, "legacy HDF5 full model (model.save to .h5)");
        if (h5.hasAttribute(root, "training_config")) {
            meta.put("training_config", "present");
        }
        return new Model("keras-h5", producer(version, backend), version, Map.of(), graph, meta, findings, true);
    }

    /**
     * A weights-only file. Without an architecture, one is synthesised from the stored layer groups:
     * parameters are counted and grouped by layer, nothing more. With one from {@code --config}, the
     * config's layers take the stored weights exactly as in a full model, so the counts, trainable
     * split, shape cross-check and compute are those of the full model, and weights the config does
     * not expect (or expects but the file lacks) are findings.
     */
    private static Model weightsOnly(Hdf5 h5, Layout layout, KerasArchitecture architecture, Limits limits,
                                     List<Finding> findings) throws ModelReadException {
        Group root = h5.root();
        ModelSpec spec = architecture == null ? null : KerasConfig.parse(architecture.config(), limits);
        WeightAssignment assignment;
        String layoutName;
        Group weightsRoot = root;
        if (layout == Layout.KERAS3_WEIGHTS) {
            if (spec == null) {
                WeightAssignment[] out = new WeightAssignment[1];
                spec = V3Layout.synthesize(h5, root, modelName(h5, root), out);
                assignment = out[0];
            } else {
                assignment = V3Layout.assign(h5, root, spec, findings);
            }
            layoutName = "Keras 3 weights (layers/<key>/vars/N)";
        } else {
            if (layout == Layout.LEGACY_WEIGHTS) {
                weightsRoot = h5.group(root, "model_weights").orElseThrow();
                layoutName = "legacy HDF5 weights without model_config (/model_weights)";
            } else {
                layoutName = "Keras 2 weights (layer_names, per-layer weight_names)";
            }
            if (spec == null) {
                spec = LegacyLayout.synthesize(h5, weightsRoot, "model");
            }
            assignment = LegacyLayout.assign(h5, weightsRoot, spec, findings);
        }
        boolean known = architecture != null;
        if (known) {
            KerasCodeScan.scan(spec, findings);
        }
        Graph graph = KerasGraphBuilder.build(spec, assignment, findings, known);
        findings.add(known
                ? Finding.info("keras-config-supplied", "architecture taken from " + architecture.source()
                        + " (--config); stored weights are matched to its layers by name", null)
                : Finding.info("keras-weights-only", "weights-only file: no architecture, so compute cannot be "
                        + "estimated, shapes are not checked, and trainable flags are not recorded (a frozen layer "
                        + "counts as trainable; BatchNormalization statistics are still recognised); --config can "
                        + "supply the architecture", null));
        String version = Optional.ofNullable(attr(h5, root, "keras_version")).orElse(attr(h5, weightsRoot,
                "keras_version"));
        String backend = Optional.ofNullable(attr(h5, root, "backend")).orElse(attr(h5, weightsRoot, "backend"));
        Map<String, String> meta = metadata(version, backend, known ? spec : null, layoutName);
        if (known) {
            meta.put("architecture", architecture.source());
        }
        // Keras 3 weights files do not record the version that wrote them.
        String producer = version == null && layout == Layout.KERAS3_WEIGHTS ? "keras 3" : producer(version, backend);
        return new Model("keras-weights-h5", producer, version, Map.of(), graph, meta, findings, known);
    }

    /** A model read from a config plus a Keras 3 weights file (the .keras archive). */
    static Model fromConfig(JsonNode config, Source weightsFile, Map<String, String> archiveMeta, Limits limits)
            throws IOException, ModelReadException {
        List<Finding> findings = new ArrayList<>();
        ModelSpec spec = KerasConfig.parse(config, limits);
        try (Hdf5 h5 = Hdf5.open(weightsFile, limits, findings)) {
            WeightAssignment assignment = V3Layout.assign(h5, h5.root(), spec, findings);
            KerasCodeScan.scan(spec, findings);
            Graph graph = KerasGraphBuilder.build(spec, assignment, findings, true);
            String version = archiveMeta.get("keras_version");
            Map<String, String> meta = metadata(version, null, spec, ".keras archive (config.json + model.weights.h5)");
            archiveMeta.forEach(meta::putIfAbsent);
            return new Model("keras-v3", producer(version, null), version, Map.of(), graph, meta, findings, true);
        } catch (RuntimeException e) {
            throw Hdf5.wrap(e, "model.weights.h5");
        } catch (StackOverflowError e) {
            throw new CorruptModelException("model.weights.h5: HDF5 structure nested too deeply");
        } catch (OutOfMemoryError e) {
            throw tooLarge("model.weights.h5");
        }
    }

    /**
     * Read through a channel (a source that cannot be mapped), jhdf allocates each header buffer
     * at the size the file states: a corrupt size fails that allocation, and is reported as such.
     */
    static CorruptModelException tooLarge(String where) {
        return new CorruptModelException(where + ": broken HDF5 structure: a header states a size larger than "
                + "memory allows");
    }

    private static String modelName(Hdf5 h5, Group root) throws ModelReadException {
        Optional<Group> vars = h5.group(root, "vars");
        return vars.isPresent() ? h5.stringAttribute(vars.get(), "name", 64 * 1024).orElse("model") : "model";
    }

    private static String attr(Hdf5 h5, Group g, String name) throws ModelReadException {
        return h5.stringAttribute(g, name, 64 * 1024).orElse(null);
    }

    private static Map<String, String> metadata(String version, String backend, ModelSpec spec, String layout) {
        Map<String, String> m = new LinkedHashMap<>();
        if (version != null) {
            m.put("keras_version", version);
        }
        if (backend != null) {
            m.put("backend", backend);
        }
        if (spec != null) {
            m.put("model_class", spec.className());
            m.put("model_name", spec.name());
        }
        m.put("layout", layout);
        return m;
    }

    static String producer(String version, String backend) {
        String p = "keras" + (version == null ? "" : " " + version);
        return backend == null ? p : p + " (" + backend + " backend)";
    }
}
