package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.keras.KerasConfig.LayerSpec;
import dev.modeltally.format.keras.KerasConfig.ModelSpec;
import dev.modeltally.format.keras.KerasConfig.Ref;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a model spec and its assigned variables into the IR. Each layer call is a node (a shared
 * layer called twice is two nodes using the same weights); a nested model is a node whose subgraph
 * holds its layers. All weights live in the top graph, so a nested model called twice still stores
 * them once. Value names: the output of a layer's first call is the layer's name, other outputs are
 * {@code layer:call:tensor}.
 */
final class KerasGraphBuilder {

    static final String DOMAIN = KerasLayerTable.DOMAIN;

    private final WeightAssignment assignment;
    private final List<Finding> findings;
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final Map<Object, List<String>> weightNames = new HashMap<>();
    private final Map<ModelSpec, Graph> subgraphs = new HashMap<>();

    private KerasGraphBuilder(WeightAssignment assignment, List<Finding> findings) {
        this.assignment = assignment;
        this.findings = findings;
    }

    /** The top graph of a model read with its config; orphan variables become nodes of their own. */
    static Graph build(ModelSpec model, WeightAssignment assignment, List<Finding> findings, boolean withConfig) {
        KerasGraphBuilder b = new KerasGraphBuilder(assignment, findings);
        Graph g = b.graph(model, false, true);
        List<Node> nodes = new ArrayList<>(g.nodes());
        for (Map.Entry<String, List<StoredVar>> e : assignment.orphans().entrySet()) {
            if (withConfig) {
                findings.add(Finding.warning("keras-weight-extra", "the file stores " + e.getValue().size()
                        + " weight(s) for layer '" + e.getKey() + "', which the model config does not have; counted",
                        e.getKey()));
            }
            nodes.add(new Node(e.getKey(), e.getValue().get(0).kind(), DOMAIN, b.register(e.getValue(), false),
                    List.of(), Attributes.empty(), List.of()));
        }
        return new Graph(g.name(), g.inputs(), g.outputs(), nodes, b.weights, g.valueInfo());
    }

    private Graph graph(ModelSpec m, boolean frozenAbove, boolean top) {
        Graph cached = subgraphs.get(m);
        if (cached != null) {
            return cached;
        }
        boolean frozen = frozenAbove || !m.trainable();
        List<Node> nodes = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        Map<String, Value> valueInfo = new LinkedHashMap<>();
        List<String> ownWeights = register(assignment.of(m), frozen);
        weightNames.put(m, ownWeights);
        if (m.sequential()) {
            sequential(m, frozen, nodes, inputs, outputs, valueInfo);
        } else {
            functional(m, frozen, nodes, inputs, outputs, valueInfo);
        }
        Graph g = new Graph(m.name(), inputs, outputs, nodes, top ? weights : Map.of(),
                new ArrayList<>(valueInfo.values()));
        subgraphs.put(m, g);
        return g;
    }

    private void sequential(ModelSpec m, boolean frozen, List<Node> nodes, List<Value> inputs, List<Value> outputs,
                            Map<String, Value> valueInfo) {
        String prev = null;
        for (LayerSpec l : m.layers()) {
            if (l.isInput()) {
                if (prev == null) {
                    prev = l.name();
                    inputs.add(inputValue(l));
                }
                continue;
            }
            if (prev == null && (l.declaredInputShape() != null || m.buildInputShape() != null)) {
                prev = "input";
                JsonNode shape = l.declaredInputShape() != null ? l.declaredInputShape() : m.buildInputShape();
                inputs.add(new Value(prev, DType.FLOAT, inputShape(shape, prev, 0)));
            }
            List<String> in = new ArrayList<>();
            if (prev != null) {
                in.add(prev);
                if (l.declaredInputShape() != null && !valueInfo.containsKey(prev)) {
                    valueInfo.put(prev, new Value(prev, DType.UNDEFINED, shape(l.declaredInputShape())));
                }
            }
            nodes.add(node(l, 0, in, List.of(l.name()), frozen));
            prev = l.name();
        }
        if (prev != null && !m.layers().isEmpty()) {
            outputs.add(new Value(prev, DType.UNDEFINED, Shape.unknownRank()));
        }
    }

    private void functional(ModelSpec m, boolean frozen, List<Node> nodes, List<Value> inputs, List<Value> outputs,
                            Map<String, Value> valueInfo) {
        Map<String, LayerSpec> byName = new HashMap<>();
        for (LayerSpec l : m.layers()) {
            byName.put(l.name(), l);
        }
        Map<String, Integer> maxTensor = new HashMap<>();
        for (LayerSpec l : m.layers()) {
            for (List<Ref> call : l.calls()) {
                for (Ref r : call) {
                    maxTensor.merge(r.layer() + ":" + r.node(), r.tensor(), Math::max);
                }
            }
        }
        for (Ref r : m.outputs()) {
            maxTensor.merge(r.layer() + ":" + r.node(), r.tensor(), Math::max);
        }
        for (Ref r : m.inputs()) {
            LayerSpec l = byName.get(r.layer());
            inputs.add(l != null && l.isInput() ? inputValue(l) : new Value(name(r), DType.UNDEFINED, Shape.unknownRank()));
        }
        for (LayerSpec l : m.layers()) {
            if (l.isInput()) {
                continue;
            }
            if (l.calls().isEmpty()) {
                nodes.add(node(l, 0, List.of(), List.of(), frozen)); // built but never called: still has weights
                continue;
            }
            for (int k = 0; k < l.calls().size(); k++) {
                List<String> in = new ArrayList<>();
                for (Ref r : l.calls().get(k)) {
                    in.add(name(r));
                    if (r.shape() != null && !valueInfo.containsKey(name(r))) {
                        valueInfo.put(name(r), new Value(name(r), DType.fromKerasName(r.dtype()), shape(r.shape())));
                    }
                }
                List<String> out = new ArrayList<>();
                int max = maxTensor.getOrDefault(l.name() + ":" + k, 0);
                for (int t = 0; t <= max; t++) {
                    out.add(name(new Ref(l.name(), k, t, null, null)));
                }
                nodes.add(node(l, k, in, out, frozen));
            }
        }
        for (Ref r : m.outputs()) {
            Value declared = valueInfo.get(name(r));
            outputs.add(declared != null ? declared : new Value(name(r), DType.UNDEFINED, Shape.unknownRank()));
        }
    }

    private Node node(LayerSpec l, int call, List<String> activations, List<String> outputs, boolean frozenAbove) {
        boolean frozen = frozenAbove || !l.trainable();
        List<String> ws = weightNames.get(l);
        if (ws == null) {
            ws = register(assignment.of(l), frozen);
            weightNames.put(l, ws);
        }
        List<String> inputs = new ArrayList<>(activations);
        List<Graph> subs = List.of();
        if (l.model() != null) {
            Graph sub = graph(l.model(), frozen, false);
            subs = List.of(sub);
            inputs.addAll(weightNames.getOrDefault(l.model(), List.of()));
        }
        inputs.addAll(ws);
        String name = call == 0 ? l.name() : l.name() + ":" + call;
        return new Node(name, l.className(), DOMAIN, inputs, outputs, new Attributes(attrs(l)), subs);
    }

    private static Map<String, Object> attrs(LayerSpec l) {
        if (!KerasLayers.carriesCode(l.className())) {
            return l.attrs();
        }
        // Keras 2 Lambda configs keep bytecode as a plain string or list: never carried into the IR.
        Map<String, Object> a = new LinkedHashMap<>(l.attrs());
        for (String k : List.of("function", "output_shape", "mask")) {
            if (a.get(k) != null && !(a.get(k) instanceof Number) && !(a.get(k) instanceof Boolean)) {
                a.put(k, KerasJson.CODE_PLACEHOLDER);
            }
        }
        return a;
    }

    /** Adds variables as weights (once per layer) and returns their names. */
    private List<String> register(List<StoredVar> vars, boolean frozen) {
        List<String> names = new ArrayList<>(vars.size());
        for (StoredVar v : vars) {
            String name = weights.containsKey(v.name()) ? v.data().path() : v.name();
            // an integer variable (a quantized kernel) is never trainable: Keras makes it trainable=False
            boolean trainable = !frozen && !KerasLayers.alwaysNonTrainable(v.kind(), v.role())
                    && !v.data().dtype().isInteger();
            weights.put(name, new Weight(name, v.data().dtype(), v.data().shape(), Weight.Role.VARIABLE, trainable,
                    new Storage.Hdf5Dataset(v.data().path(), v.data().allocated())));
            names.add(name);
        }
        return names;
    }

    static String name(Ref r) {
        return r.node() == 0 && r.tensor() == 0 ? r.layer() : r.layer() + ":" + r.node() + ":" + r.tensor();
    }

    private static Value inputValue(LayerSpec l) {
        JsonNode cfg = l.config();
        JsonNode shape = cfg.has("batch_shape") ? cfg.get("batch_shape") : cfg.get("batch_input_shape");
        Shape s;
        if (shape != null && shape.isArray()) {
            s = inputShape(shape, l.name(), 0);
        } else if (cfg.path("shape").isArray()) {
            List<Dim> dims = new ArrayList<>();
            dims.add(Dim.symbol("batch"));
            dims.addAll(inputShape(cfg.get("shape"), l.name(), 1).dims());
            s = new Shape(dims);
        } else {
            s = Shape.unknownRank();
        }
        return new Value(l.name(), DType.fromKerasName(KerasJson.text(cfg, "dtype", null)), s);
    }

    /**
     * An input's shape list: null first → the symbolic batch; null elsewhere (a free sequence length
     * or image size) → its own symbol {@code <input>_d<axis>}, so that shapes and costs stay exact
     * expressions of it. {@code first} is the axis of the list's first entry (1 when the list leaves
     * out the batch).
     */
    static Shape inputShape(JsonNode n, String input, int first) {
        Shape s = shape(n);
        if (!s.rankKnown()) {
            return s;
        }
        List<Dim> dims = new ArrayList<>(s.dims());
        String stem = input.replaceAll("[^A-Za-z0-9_]", "_");
        if (stem.isEmpty() || !Character.isLetter(stem.charAt(0))) {
            stem = "x_" + stem;
        }
        for (int i = 0; i < dims.size(); i++) {
            if (i + first > 0 && !dims.get(i).isFixed()) {
                dims.set(i, Dim.symbol(stem + "_d" + (i + first)));
            }
        }
        return new Shape(dims);
    }

    /** A Keras shape list: null first → the symbolic batch, null elsewhere → unknown. */
    static Shape shape(JsonNode n) {
        if (n == null || !n.isArray()) {
            return Shape.unknownRank();
        }
        List<Dim> dims = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode d = n.get(i);
            if (d.isIntegralNumber() && d.asLong() >= 0) {
                dims.add(Dim.of(d.asLong()));
            } else if (i == 0) {
                dims.add(Dim.symbol("batch"));
            } else {
                dims.add(Dim.UNKNOWN);
            }
        }
        return new Shape(dims);
    }
}
