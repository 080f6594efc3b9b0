package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.KerasShapeRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shapes through a Keras graph (nodes of domain {@code keras}): what the file declares (InputLayer
 * shapes, Keras 3 tensor shapes in inbound nodes, build input shapes) is kept, the rest is propagated
 * with {@link KerasShapeRules}, into nested models too. Legacy Sequential configs record no
 * intermediate shapes, so this is what gives their outputs a shape.
 */
public final class KerasShapes {

    static final String DOMAIN = "keras";

    /** Called for each node with the values flowing into it (its activation inputs, not weights). */
    interface Visitor {
        void node(Node node, List<Value> inputs, Set<String> weightNames);
    }

    private KerasShapes() {
    }

    public static boolean isKeras(Graph g) {
        for (Node n : g.nodes()) {
            if (DOMAIN.equals(n.domain())) {
                return true;
            }
        }
        return false;
    }

    /** The graph's outputs with shapes filled in where the file left them unknown. */
    public static List<Value> outputs(Graph g) {
        Map<String, Value> known = walk(g, Map.of(), g.weights().keySet(), null, 0);
        List<Value> out = new ArrayList<>();
        for (Value v : g.outputs()) {
            Value k = known.get(v.name());
            out.add(v.shape().rankKnown() || k == null ? v : new Value(v.name(),
                    v.dtype() == DType.UNDEFINED ? k.dtype() : v.dtype(), k.shape()));
        }
        return out;
    }

    static void visit(Graph g, Visitor visitor) {
        walk(g, Map.of(), g.weights().keySet(), visitor, 0);
    }

    /**
     * Values known after running through {@code g}; {@code given} are shapes for the graph's inputs
     * supplied by an enclosing call (nested model). All Keras weights live in the top graph.
     */
    private static Map<String, Value> walk(Graph g, Map<String, Value> given, Set<String> weights, Visitor visitor,
                                           int depth) {
        Map<String, Value> known = new HashMap<>();
        for (Value v : g.inputs()) {
            Value outer = given.get(v.name());
            known.put(v.name(), outer != null && outer.shape().rankKnown() ? outer : v);
        }
        for (Value v : g.valueInfo()) {
            if (v.shape().rankKnown()) {
                known.putIfAbsent(v.name(), v);
            }
        }
        for (Node n : g.nodes()) {
            List<Value> in = new ArrayList<>();
            for (String name : n.inputs()) {
                if (!weights.contains(name) && !name.isEmpty()) {
                    in.add(known.getOrDefault(name, new Value(name, DType.UNDEFINED, Shape.unknownRank())));
                }
            }
            if (visitor != null) {
                visitor.node(n, in, weights);
            }
            List<Shape> outs = outputs(n, in, weights, visitor, depth);
            DType dtype = dtype(n, in);
            for (int i = 0; i < n.outputs().size(); i++) {
                String name = n.outputs().get(i);
                Value prev = known.get(name);
                if (prev == null || !prev.shape().rankKnown()) {
                    Shape s = i < outs.size() ? outs.get(i) : Shape.unknownRank();
                    known.put(name, new Value(name, prev == null || prev.dtype() == DType.UNDEFINED ? dtype
                            : prev.dtype(), s));
                } else if (prev.dtype() == DType.UNDEFINED) {
                    known.put(name, new Value(name, dtype, prev.shape()));
                }
            }
        }
        return known;
    }

    private static List<Shape> outputs(Node n, List<Value> in, Set<String> weights, Visitor visitor, int depth) {
        if (!n.subgraphs().isEmpty() && depth < 64) {
            Graph sub = n.subgraphs().get(0);
            Map<String, Value> given = new HashMap<>();
            for (int i = 0; i < sub.inputs().size() && i < in.size(); i++) {
                given.put(sub.inputs().get(i).name(), in.get(i));
            }
            Map<String, Value> inner = walk(sub, given, weights, visitor, depth + 1);
            List<Shape> out = new ArrayList<>();
            for (Value v : sub.outputs()) {
                Value k = inner.get(v.name());
                out.add(k == null ? Shape.unknownRank() : k.shape());
            }
            return out;
        }
        List<Shape> shapes = new ArrayList<>(in.size());
        for (Value v : in) {
            shapes.add(v.shape());
        }
        try {
            return KerasShapeRules.outputs(n.opType(), n.attrs(), shapes);
        } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
            return List.of(Shape.unknownRank()); // a config whose sizes make no sense: leave it unknown
        }
    }

    /** A layer computes in its dtype policy's compute type (float32 unless the config says otherwise). */
    private static DType dtype(Node n, List<Value> in) {
        Object policy = n.attrs().get("dtype").orElse(null);
        String name = policy instanceof String s ? s : null;
        if (policy instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c && c.get("name") instanceof String s) {
            name = s;
        }
        if (name == null) {
            return in.isEmpty() ? DType.UNDEFINED : in.get(0).dtype();
        }
        return switch (name) {
            case "float16", "mixed_float16" -> DType.FLOAT16;
            case "bfloat16", "mixed_bfloat16" -> DType.BFLOAT16;
            case "float64" -> DType.DOUBLE;
            case "float32" -> DType.FLOAT;
            default -> DType.UNDEFINED;
        };
    }
}
