package dev.modeltally.format.keras;

import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.keras.KerasConfig.LayerSpec;
import dev.modeltally.format.keras.KerasConfig.ModelSpec;
import dev.modeltally.ir.Finding;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HDF5 layout of Keras 2 {@code save_weights} and of legacy full-model files' {@code /model_weights}:
 * the group lists its layers in attribute {@code layer_names}; each layer group lists its variables in
 * {@code weight_names}, each the path of a dataset below that group. Only listed datasets are
 * variables (that is what Keras loads); anything else stored there is reported, not counted.
 */
final class LegacyLayout {

    private static final String TOP_LEVEL = "top_level_model_weights";

    private final Hdf5 h5;
    private final List<Finding> findings;
    private final WeightAssignment out = new WeightAssignment();

    private LegacyLayout(Hdf5 h5, List<Finding> findings) {
        this.h5 = h5;
        this.findings = findings;
    }

    /** Assigns the variables under {@code root} to the layers of {@code model}. */
    static WeightAssignment assign(Hdf5 h5, Group root, ModelSpec model, List<Finding> findings)
            throws ModelReadException {
        LegacyLayout l = new LegacyLayout(h5, findings);
        Map<String, LayerSpec> byName = new HashMap<>();
        for (LayerSpec s : model.savedLayers()) {
            byName.put(s.name(), s);
        }
        Map<String, Node> children = h5.children(root);
        for (String layerName : h5.stringListAttribute(root, "layer_names")) {
            if (!(children.get(layerName) instanceof Group g)) {
                findings.add(Finding.warning("keras-weight-missing", "layer_names lists layer '" + layerName
                        + "' but the file has no group for it", layerName));
                continue;
            }
            LayerSpec spec = byName.get(layerName);
            List<StoredVar> vars = l.listed(g, layerName, spec == null ? "Layer" : spec.className());
            if (spec == null) {
                l.out.orphan(layerName, vars);
            } else if (spec.model() != null) {
                l.distribute(vars, spec.model(), 0);
            } else {
                l.out.add(spec, vars);
            }
        }
        if (children.get(TOP_LEVEL) instanceof Group top) {
            l.out.add(model, l.listed(top, model.name(), model.className()));
        }
        return l.out;
    }

    /**
     * A model made from the file alone (weights-only files): one layer per {@code layer_names} entry.
     * The class of a layer is not stored; BatchNormalization statistics are still recognised by name.
     */
    static ModelSpec synthesize(Hdf5 h5, Group root, String modelName) throws ModelReadException {
        List<LayerSpec> layers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : h5.stringListAttribute(root, "layer_names")) {
            if (seen.add(name)) {
                layers.add(new LayerSpec(name, "Layer", null, null, null, Map.of(), true, List.of(), null, null));
            }
        }
        return new ModelSpec(modelName, "Model", false, layers, List.of(), List.of(), true, null);
    }

    /** The datasets {@code weight_names} lists, in that order; reports listed-but-absent and unlisted ones. */
    private List<StoredVar> listed(Group g, String layerName, String kind) throws ModelReadException {
        List<StoredVar> vars = new ArrayList<>();
        Set<String> listedPaths = new HashSet<>();
        for (String wn : h5.stringListAttribute(g, "weight_names")) {
            Node n = h5.resolve(g, wn).orElse(null);
            if (!(n instanceof Dataset d)) {
                findings.add(Finding.warning("keras-weight-missing", "layer '" + layerName + "' lists weight '" + wn
                        + "' in weight_names but the file has no such dataset", layerName));
                continue;
            }
            listedPaths.add(d.getPath());
            vars.add(new StoredVar(wn, StoredVar.roleOf(wn), kind, h5.dataset(d)));
        }
        List<String> unlisted = new ArrayList<>();
        collectDatasets(g, listedPaths, unlisted, 0);
        for (String path : unlisted) {
            findings.add(Finding.warning("keras-weight-extra", "dataset '" + path + "' is stored in layer '"
                    + layerName + "' but not listed in its weight_names; Keras ignores it, not counted", layerName));
        }
        return vars;
    }

    private void collectDatasets(Group g, Set<String> skip, List<String> out, int depth) throws ModelReadException {
        if (depth > 32) {
            return;
        }
        for (Node n : h5.children(g).values()) {
            if (n instanceof Group child) {
                collectDatasets(child, skip, out, depth + 1);
            } else if (n instanceof Dataset d && !skip.contains(d.getPath())) {
                out.add(d.getPath());
            }
        }
    }

    /**
     * A nested model's group lists all its variables flat ({@code inner/dense/kernel}); each goes to
     * the inner layer named by the first path segment that names one, recursively for deeper models.
     * Variables naming no inner layer are the nested model's own.
     */
    private void distribute(List<StoredVar> vars, ModelSpec model, int depth) {
        Map<String, LayerSpec> inner = new HashMap<>();
        for (LayerSpec s : model.savedLayers()) {
            inner.put(s.name(), s);
        }
        Map<LayerSpec, List<StoredVar>> deeper = new java.util.LinkedHashMap<>();
        for (StoredVar v : vars) {
            String[] seg = v.name().split("/");
            LayerSpec owner = null;
            for (int i = 0; i < seg.length - 1 && owner == null; i++) {
                owner = inner.get(seg[i]);
            }
            if (owner == null) {
                out.add(model, v);
            } else if (owner.model() != null && depth < Limits.DEFAULT.maxSubgraphDepth()) {
                deeper.computeIfAbsent(owner, k -> new ArrayList<>()).add(v);
            } else {
                out.add(owner, new StoredVar(v.name(), v.role(), owner.className(), v.data()));
            }
        }
        for (Map.Entry<LayerSpec, List<StoredVar>> e : deeper.entrySet()) {
            distribute(e.getValue(), e.getKey().model(), depth + 1);
        }
    }
}
