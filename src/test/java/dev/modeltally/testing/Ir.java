package dev.modeltally.testing;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Analyzer;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds IR graphs directly (no file) for rule and engine tests. */
public final class Ir {

    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final List<Value> valueInfo = new ArrayList<>();
    private final Map<String, Long> opsets = new LinkedHashMap<>(Map.of("ai.onnx", 17L));
    private String producer = "tests";
    private String name = "g";

    public static Ir graph() {
        return new Ir();
    }

    /** Dims: numbers are fixed sizes, strings symbols, null unknown. */
    public static Shape shape(Object... dims) {
        List<Dim> out = new ArrayList<>();
        for (Object d : dims) {
            out.add(d == null ? Dim.UNKNOWN : d instanceof Number n ? Dim.of(n.longValue()) : Dim.symbol((String) d));
        }
        return new Shape(out);
    }

    public Ir input(String n, Object... dims) {
        inputs.add(new Value(n, DType.FLOAT, shape(dims)));
        return this;
    }

    public Ir input(String n, DType t, Shape s) {
        inputs.add(new Value(n, t, s));
        return this;
    }

    /** Gives input {@code n} a sequence, map or optional type. */
    public Ir typed(String n, dev.modeltally.ir.ValueType t) {
        inputs.replaceAll(v -> v.name().equals(n) ? new Value(n, DType.UNDEFINED, Shape.scalar(), t) : v);
        return this;
    }

    public Ir output(String n) {
        outputs.add(new Value(n, DType.UNDEFINED, Shape.unknownRank()));
        return this;
    }

    public Ir output(String n, Shape s) {
        outputs.add(new Value(n, DType.FLOAT, s));
        return this;
    }

    public Ir valueInfo(String n, Shape s) {
        valueInfo.add(new Value(n, DType.FLOAT, s));
        return this;
    }

    public Ir weight(String n, long... dims) {
        weights.put(n, new Weight(n, DType.FLOAT, Shape.of(dims), Weight.Role.INITIALIZER, true,
                new Storage.Inline(0, 0)));
        return this;
    }

    /** A Constant node producing a FLOAT tensor {@code n} of these dims, as paddle2onnx and spox store weights. */
    public Ir constant(String n, long... dims) {
        weights.put(n, new Weight(n, DType.FLOAT, Shape.of(dims), Weight.Role.CONSTANT_NODE, false,
                new Storage.Inline(0, 0)));
        nodes.add(new Node(n + "_const", "Constant", "", List.of(), List.of(n), attrs(), List.of()));
        return this;
    }

    /** A Constant node producing a small FLOAT vector whose values are known. */
    public Ir constantFloats(String n, double... values) {
        List<Double> vs = new ArrayList<>();
        for (double v : values) {
            vs.add(v);
        }
        weights.put(n, new Weight(n, DType.FLOAT, Shape.of(values.length), Weight.Role.CONSTANT_NODE, false,
                new Storage.Inline(0, 0), null, vs));
        nodes.add(new Node(n + "_const", "Constant", "", List.of(), List.of(n), attrs(), List.of()));
        return this;
    }

    /** An INT64 initializer with values (a vector; a scalar with {@link #scalar}). */
    public Ir ints(String n, long... values) {
        List<Long> vs = new ArrayList<>();
        for (long v : values) {
            vs.add(v);
        }
        weights.put(n, new Weight(n, DType.INT64, Shape.of(values.length), Weight.Role.INITIALIZER, true,
                new Storage.Inline(0, 0), vs));
        return this;
    }

    public Ir scalar(String n, long value) {
        weights.put(n, new Weight(n, DType.INT64, Shape.scalar(), Weight.Role.INITIALIZER, true,
                new Storage.Inline(0, 0), List.of(value)));
        return this;
    }

    public Ir floats(String n, double... values) {
        List<Double> vs = new ArrayList<>();
        for (double v : values) {
            vs.add(v);
        }
        weights.put(n, new Weight(n, DType.FLOAT, Shape.of(values.length), Weight.Role.INITIALIZER, true,
                new Storage.Inline(0, 0), null, vs));
        return this;
    }

    public Ir node(String op, String n, List<String> ins, List<String> outs, Object... attrs) {
        return node("", op, n, ins, outs, attrs);
    }

    public Ir node(String domain, String op, String n, List<String> ins, List<String> outs, Object... attrs) {
        nodes.add(new Node(n, op, domain, ins, outs, attrs(attrs), subgraphs(attrs)));
        return this;
    }

    public Ir opset(String domain, long v) {
        opsets.put(domain, v);
        return this;
    }

    public Ir producer(String p) {
        producer = p;
        return this;
    }

    public Ir named(String n) {
        name = n;
        return this;
    }

    /** Attributes as key, value pairs; int[]/long[] become lists of longs. */
    public static Attributes attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof long[] ls) {
                List<Object> l = new ArrayList<>();
                for (long x : ls) {
                    l.add(x);
                }
                v = l;
            } else if (v instanceof Integer k) {
                v = (long) k;
            }
            m.put((String) kv[i], v);
        }
        return new Attributes(m);
    }

    private static List<Graph> subgraphs(Object... kv) {
        List<Graph> out = new ArrayList<>();
        for (Object o : kv) {
            if (o instanceof Graph g) {
                out.add(g);
            }
        }
        return out;
    }

    public Graph build() {
        return new Graph(name, inputs, outputs, nodes, weights, valueInfo);
    }

    public Model model() {
        return new Model("onnx", producer, "17", opsets, build(), Map.of(), List.of(), true);
    }

    public Report analyze() {
        return analyze(AnalysisOptions.DEFAULT);
    }

    public Report analyze(AnalysisOptions options) {
        return Analyzer.analyze(model(), "test.onnx", options);
    }

    /** The node named {@code n} in a report's compute section. */
    public static NodeCompute node(Report r, String n) {
        Compute c = r.compute();
        for (NodeCompute nc : c.nodes()) {
            if (nc.name().equals(n)) {
                return nc;
            }
        }
        throw new AssertionError("no node " + n + " in " + c.nodes());
    }

    /** The first output shape of node {@code n}, as text ("[1, 64, 112, 112]"). */
    public static String shapeOf(Report r, String n) {
        return node(r, n).outputs().get(0).shape().toString();
    }
}
