package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras model config ({@code model_config} attribute or {@code config.json}) as a tree of
 * models and layers. Reads both serialisation styles: Keras 2 ({@code inbound_nodes} as lists of
 * {@code [layer, node, tensor, kwargs]}, {@code batch_input_shape}) and Keras 3 ({@code args} /
 * {@code kwargs} holding {@code __keras_tensor__} objects with {@code keras_history}, {@code batch_shape}).
 */
final class KerasConfig {

    /** Output {@code tensor} of call {@code node} of layer {@code layer}; shape/dtype when the file says. */
    record Ref(String layer, int node, int tensor, JsonNode shape, String dtype) {
    }

    /** A model: Sequential (layers in a chain) or Functional (layers wired by inbound nodes). */
    record ModelSpec(String name, String className, boolean sequential, List<LayerSpec> layers, List<Ref> inputs,
                     List<Ref> outputs, boolean trainable, JsonNode buildInputShape) {

        /** The layers Keras lists in {@code model.layers}: a Sequential leaves its InputLayer out. */
        List<LayerSpec> savedLayers() {
            if (!sequential) {
                return layers;
            }
            return layers.stream().filter(l -> !l.isInput()).toList();
        }

        /** By identity: two layers (or models) may be alike as records and still be different objects. */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** One layer; {@code model} is set when the layer is itself a model. */
    record LayerSpec(String name, String className, String module, String registeredName, JsonNode config,
                     Map<String, Object> attrs, boolean trainable, List<List<Ref>> calls, ModelSpec model,
                     JsonNode declaredInputShape) {

        boolean isInput() {
            return className.equals("InputLayer");
        }

        /** By identity: two layers (or models) may be alike as records and still be different objects. */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final Limits limits;
    private int layerCount;

    private KerasConfig(Limits limits) {
        this.limits = limits;
    }

    static ModelSpec parse(JsonNode root, Limits limits) throws CorruptModelException {
        if (root == null || !root.isObject()) {
            throw new CorruptModelException("model config is not a JSON object");
        }
        return new KerasConfig(limits).model(root, 0);
    }

    private ModelSpec model(JsonNode entry, int depth) throws CorruptModelException {
        Limits.check("nested model depth", depth, limits.maxSubgraphDepth(), "--max-subgraph-depth");
        String className = KerasJson.text(entry, "class_name", "Model");
        JsonNode cfg = entry.get("config");
        JsonNode layersNode = cfg != null && cfg.isArray() ? cfg : cfg == null ? null : cfg.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new CorruptModelException("model config of class '" + className + "' has no layers list");
        }
        boolean functional = cfg.isObject() && (cfg.has("input_layers") || cfg.has("output_layers"));
        String name = cfg.isObject() ? KerasJson.text(cfg, "name", className) : className;
        List<LayerSpec> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode l : layersNode) {
            LayerSpec spec = layer(l, functional, depth);
            if (functional && !names.add(spec.name())) {
                throw new CorruptModelException("model '" + name + "' has two layers named '" + spec.name() + "'");
            }
            layers.add(spec);
        }
        List<Ref> inputs = functional ? refList(cfg.get("input_layers")) : List.of();
        List<Ref> outputs = functional ? refList(cfg.get("output_layers")) : List.of();
        boolean trainable = !cfg.isObject() || cfg.path("trainable").asBoolean(true);
        JsonNode buildShape = cfg.isObject() ? cfg.get("build_input_shape") : null;
        if (buildShape == null) {
            buildShape = entry.path("build_config").get("input_shape");
        }
        return new ModelSpec(name, className, !functional, layers, inputs, outputs, trainable, buildShape);
    }

    private LayerSpec layer(JsonNode entry, boolean functional, int depth) throws CorruptModelException {
        Limits.check("layer count", ++layerCount, limits.maxNodes(), "--max-nodes");
        if (!entry.isObject()) {
            throw new CorruptModelException("a layer entry of the model config is not an object");
        }
        String className = KerasJson.text(entry, "class_name", null);
        if (className == null) {
            throw new CorruptModelException("a layer entry of the model config has no class_name");
        }
        JsonNode cfg = entry.path("config");
        String name = KerasJson.text(entry, "name", KerasJson.text(cfg, "name", null));
        if (name == null) {
            throw new CorruptModelException("a layer of class '" + className + "' has no name");
        }
        ModelSpec nested = null;
        if (cfg.isObject() && cfg.path("layers").isArray()) {
            nested = model(entry, depth + 1);
        }
        List<List<Ref>> calls = new ArrayList<>();
        if (functional) {
            for (JsonNode node : entry.path("inbound_nodes")) {
                List<Ref> refs = new ArrayList<>();
                if (node.isObject()) {
                    collectKeras3(node.path("args"), refs, 0);
                    collectKeras3(node.path("kwargs"), refs, 0);
                } else if (node.isArray()) {
                    collectKeras2(node, refs);
                }
                calls.add(refs);
            }
        }
        JsonNode declared = entry.path("build_config").get("input_shape");
        if (declared == null && cfg.isObject()) {
            // Keras 2 puts the input shape on the first layer of a Sequential.
            declared = cfg.has("batch_input_shape") ? cfg.get("batch_input_shape") : cfg.get("batch_shape");
        }
        Map<String, Object> attrs = nested == null ? KerasJson.plainObject(cfg) : withoutLayers(cfg);
        return new LayerSpec(name, className, KerasJson.text(entry, "module", null),
                KerasJson.text(entry, "registered_name", null), cfg, attrs, cfg.path("trainable").asBoolean(true),
                calls, nested, declared);
    }

    /** A nested model's attributes: its config without the layer list, which becomes a subgraph. */
    private static Map<String, Object> withoutLayers(JsonNode cfg) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(KerasJson.plainObject(cfg));
        all.remove("layers");
        return all;
    }

    /** Keras 3: every {@code __keras_tensor__} object anywhere in args/kwargs, in document order. */
    private void collectKeras3(JsonNode n, List<Ref> out, int depth) {
        if (n == null || depth > limits.maxJsonDepth()) {
            return;
        }
        if (n.isObject()) {
            if ("__keras_tensor__".equals(KerasJson.text(n, "class_name", null))) {
                JsonNode c = n.path("config");
                JsonNode h = c.path("keras_history");
                if (h.isArray() && h.size() >= 3 && h.get(0).isTextual()) {
                    out.add(new Ref(h.get(0).asText(), h.get(1).asInt(0), h.get(2).asInt(0), c.get("shape"),
                            KerasJson.text(c, "dtype", null)));
                }
                return;
            }
            for (JsonNode c : n) {
                collectKeras3(c, out, depth + 1);
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                collectKeras3(c, out, depth + 1);
            }
        }
    }

    /** Keras 2: a call is a list of {@code [layer, node, tensor, kwargs]}; kwargs may hold more refs. */
    private static void collectKeras2(JsonNode node, List<Ref> out) {
        for (JsonNode item : node) {
            Ref r = keras2Ref(item);
            if (r != null) {
                out.add(r);
                JsonNode kwargs = item.get(3);
                if (kwargs != null && kwargs.isObject()) {
                    for (JsonNode v : kwargs) {
                        Ref k = keras2Ref(v);
                        if (k != null) {
                            out.add(k);
                        }
                    }
                }
            }
        }
    }

    private static Ref keras2Ref(JsonNode item) {
        if (item != null && item.isArray() && item.size() >= 3 && item.get(0).isTextual()
                && item.get(1).isIntegralNumber() && item.get(2).isIntegralNumber()) {
            return new Ref(item.get(0).asText(), item.get(1).asInt(), item.get(2).asInt(), null, null);
        }
        return null;
    }

    /** input_layers / output_layers: one ref {@code [name, 0, 0]}, a list of refs, or a dict of refs. */
    private static List<Ref> refList(JsonNode n) {
        List<Ref> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        Ref single = keras2Ref(n);
        if (single != null) {
            out.add(single);
            return out;
        }
        for (JsonNode c : n) {
            Ref r = keras2Ref(c);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }
}
