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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Keras 3 weights layout ({@code .weights.h5} and a {@code .keras} archive's model.weights.h5):
 * {@code /layers/<key>/vars/0..N}, a nested model's layers under {@code /layers/<key>/layers/...},
 * sublayers under their attribute name ({@code /layers/lstm/cell/vars}). A key is the layer's class
 * in snake case, made unique per container in {@code model.layers} order ({@code dense}, {@code dense_1});
 * since Keras 3.9 each vars group also carries the layer's name as attribute {@code name}, which is
 * preferred when present. Variables have no names: they come from {@link KerasLayers#varNames}.
 * Other top-level groups ({@code optimizer}, metrics) are not model weights and are skipped.
 */
final class V3Layout {

    private final Hdf5 h5;
    private final List<Finding> findings;
    private final WeightAssignment out = new WeightAssignment();

    private V3Layout(Hdf5 h5, List<Finding> findings) {
        this.h5 = h5;
        this.findings = findings;
    }

    static boolean looksLike(Hdf5 h5, Group root) throws ModelReadException {
        Map<String, Node> c = h5.children(root);
        return c.get("layers") instanceof Group || c.get("_layer_checkpoint_dependencies") instanceof Group
                || c.get("vars") instanceof Group;
    }

    static WeightAssignment assign(Hdf5 h5, Group root, ModelSpec model, List<Finding> findings)
            throws ModelReadException {
        V3Layout l = new V3Layout(h5, findings);
        l.model(root, model, 0);
        return l.out;
    }

    /** A model made from the file alone, with the assignment of its variables (weights-only files). */
    static ModelSpec synthesize(Hdf5 h5, Group root, String name, WeightAssignment[] assignment)
            throws ModelReadException {
        V3Layout l = new V3Layout(h5, List.of());
        ModelSpec m = l.synthModel(root, name, "Model", 0);
        assignment[0] = l.out;
        return m;
    }

    private void model(Group g, ModelSpec model, int depth) throws ModelReadException {
        Map<String, Node> children = h5.children(g);
        if (children.get("vars") instanceof Group vars) {
            out.add(model, ownVars(vars, model.className(), Map.of(), model.name()));
        }
        Group layers = layersGroup(children);
        if (layers != null) {
            container(layers, model.savedLayers(), depth);
        }
    }

    private static Group layersGroup(Map<String, Node> children) {
        if (children.get("layers") instanceof Group g) {
            return g;
        }
        // Keras 2.13-era files name the container _layer_checkpoint_dependencies; Keras 3 reads both.
        return children.get("_layer_checkpoint_dependencies") instanceof Group g ? g : null;
    }

    private void container(Group layersGroup, List<LayerSpec> layers, int depth) throws ModelReadException {
        Limits.check("nested model depth", depth, Limits.DEFAULT.maxSubgraphDepth(), "--max-subgraph-depth");
        Map<String, Group> byKey = groups(layersGroup);
        Map<String, String> keyByName = new HashMap<>();
        for (Map.Entry<String, Group> e : byKey.entrySet()) {
            String stored = storedName(e.getValue());
            if (stored != null) {
                keyByName.putIfAbsent(stored, e.getKey());
            }
        }
        Map<String, Integer> used = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (LayerSpec spec : layers) {
            String key = uniqueKey(KerasLayers.snakeCase(spec.className()), used);
            String actual = keyByName.getOrDefault(spec.name(), key);
            Group g = byKey.get(actual);
            if (g == null || !taken.add(actual)) {
                continue; // a layer without variables has no group before Keras 3.9
            }
            if (spec.model() != null) {
                model(g, spec.model(), depth + 1);
            } else {
                out.add(spec, layerVars(g, spec.className(), spec.attrs(), spec.name(), 0));
            }
        }
        for (Map.Entry<String, Group> e : byKey.entrySet()) {
            if (!taken.contains(e.getKey())) {
                String name = storedName(e.getValue());
                String label = name == null ? e.getKey() : name;
                String kind = KerasLayers.classForKey(e.getKey()).orElse("Layer");
                out.orphan(label, layerVars(e.getValue(), kind, Map.of(), label, 0));
            }
        }
    }

    /** Keras's {@code _get_unique_name}: the first use keeps the name, later ones get _1, _2, ... */
    private static String uniqueKey(String base, Map<String, Integer> used) {
        Integer n = used.get(base);
        if (n == null) {
            used.put(base, 0);
            return base;
        }
        used.put(base, n + 1);
        return base + "_" + (n + 1);
    }

    /** A layer's own variables, then those of its sublayers (attributes in Keras's save order). */
    private List<StoredVar> layerVars(Group g, String kind, Map<String, Object> config, String prefix, int depth)
            throws ModelReadException {
        List<StoredVar> vars = new ArrayList<>();
        Map<String, Group> children = groups(g);
        if (children.get("vars") != null) {
            vars.addAll(ownVars(children.get("vars"), kind, config, prefix));
        }
        if (depth > 16) {
            return vars;
        }
        for (Map.Entry<String, Group> e : children.entrySet()) {
            if (e.getKey().equals("vars")) {
                continue;
            }
            String stored = storedName(e.getValue());
            String subKind = KerasLayers.sublayerKind(kind, e.getKey(), config, stored);
            vars.addAll(layerVars(e.getValue(), subKind, innerConfig(config, e.getKey()),
                    prefix + "/" + (stored == null ? e.getKey() : stored), depth + 1));
        }
        return vars;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> innerConfig(Map<String, Object> config, String key) {
        Object layer = config.get(key.equals("backward_layer") && config.get("backward_layer") != null
                ? "backward_layer" : "layer");
        if ((key.endsWith("layer")) && layer instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c) {
            return (Map<String, Object>) c;
        }
        return Map.of();
    }

    private List<StoredVar> ownVars(Group vars, String kind, Map<String, Object> config, String prefix)
            throws ModelReadException {
        List<Dataset> datasets = new ArrayList<>();
        for (Node n : h5.children(vars).values()) {
            if (n instanceof Dataset d) {
                datasets.add(d);
            }
        }
        datasets.sort(Comparator.comparing((Dataset d) -> index(d.getName())).thenComparing(Dataset::getName));
        List<String> roles = KerasLayers.varNames(kind, datasets.size(), config);
        List<StoredVar> out = new ArrayList<>(datasets.size());
        for (int i = 0; i < datasets.size(); i++) {
            if (!KerasLayers.savedTwice(kind, roles.get(i))) { // counted with the sublayer that owns it
                out.add(new StoredVar(prefix + "/" + roles.get(i), roles.get(i), kind, h5.dataset(datasets.get(i))));
            }
        }
        return out;
    }

    private static long index(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Child groups in Keras's attribute order: public names first, then _private ones, each sorted. */
    private Map<String, Group> groups(Group g) throws ModelReadException {
        List<String> keys = new ArrayList<>();
        Map<String, Node> children = h5.children(g);
        for (Map.Entry<String, Node> e : children.entrySet()) {
            if (e.getValue() instanceof Group) {
                keys.add(e.getKey());
            }
        }
        keys.sort(Comparator.comparing((String k) -> k.startsWith("_") ? "~" + k : k));
        Map<String, Group> out = new java.util.LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, (Group) children.get(k));
        }
        return out;
    }

    /** The layer name Keras 3.9+ writes on a layer's vars group, or null. */
    private String storedName(Group layerGroup) throws ModelReadException {
        if (!(h5.children(layerGroup).get("vars") instanceof Group vars)) {
            return null;
        }
        return h5.stringAttribute(vars, "name", 64 * 1024).orElse(null);
    }

    private ModelSpec synthModel(Group g, String name, String className, int depth) throws ModelReadException {
        Limits.check("nested model depth", depth, Limits.DEFAULT.maxSubgraphDepth(), "--max-subgraph-depth");
        Map<String, Node> children = h5.children(g);
        List<LayerSpec> layers = new ArrayList<>();
        ModelSpec model = new ModelSpec(name, className, false, layers, List.of(), List.of(), true, null);
        if (children.get("vars") instanceof Group vars) {
            out.add(model, ownVars(vars, className, Map.of(), name));
        }
        Group container = layersGroup(children);
        if (container == null) {
            return model;
        }
        for (Map.Entry<String, Group> e : groups(container).entrySet()) {
            String stored = storedName(e.getValue());
            String label = stored == null ? e.getKey() : stored;
            String kind = KerasLayers.classForKey(e.getKey()).orElse("Layer");
            ModelSpec inner = null;
            if (layersGroup(h5.children(e.getValue())) != null) {
                inner = synthModel(e.getValue(), label, kind, depth + 1);
            }
            LayerSpec spec = new LayerSpec(label, kind, null, null, null, Map.of(), true, List.of(), inner, null);
            layers.add(spec);
            if (inner == null) {
                out.add(spec, layerVars(e.getValue(), kind, Map.of(), label, 0));
            }
        }
        return model;
    }
}
