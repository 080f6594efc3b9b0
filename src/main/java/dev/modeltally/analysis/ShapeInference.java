package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Propagates shapes (and small integer values) through the whole graph and its subgraphs. Input
 * shapes come from the file, overridden by {@code --input-shape}; a symbolic or unknown first dim of
 * an input is the batch: {@code --batch N}, else 1, and that assumption is listed.
 */
public final class ShapeInference {

    /**
     * @param nodes   every evaluated node, subgraph nodes included, in evaluation order
     * @param inputs  the input shapes used
     * @param outputs the graph outputs as inferred
     * @param assumed assumptions made (batch taken as 1, loops run all iterations)
     * @param notes   what stayed unresolved and how to resolve it
     */
    public record Result(List<NodeResult> nodes, List<Value> inputs, List<Value> outputs, List<String> assumed,
                         List<String> notes, List<Finding> findings, List<Alternative> alternatives,
                         TopoOrder topo) {
        public Result {
            alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
            topo = topo == null ? new TopoOrder() : topo;
        }

        public Result(List<NodeResult> nodes, List<Value> inputs, List<Value> outputs, List<String> assumed,
                      List<String> notes, List<Finding> findings, List<Alternative> alternatives) {
            this(nodes, inputs, outputs, assumed, notes, findings, alternatives, null);
        }

        public Result(List<NodeResult> nodes, List<Value> inputs, List<Value> outputs, List<String> assumed,
                      List<String> notes, List<Finding> findings) {
            this(nodes, inputs, outputs, assumed, notes, findings, List.of());
        }
    }

    private ShapeInference() {
    }

    public static Result run(Model model, AnalysisOptions options) {
        return run(model, options, false, new TopoOrder());
    }

    /**
     * The same inference with every dim the options do not pin by number kept symbolic (the batch
     * too, unless --batch gives it); an input dim with no name becomes the symbol
     * {@code <input>_d<axis>}. This is the pass the cost formula is read from.
     */
    static Result runSymbolic(Model model, AnalysisOptions options, TopoOrder topo) {
        return run(model, options, true, topo);
    }

    private static Result run(Model model, AnalysisOptions options, boolean symbolic, TopoOrder topo) {
        Graph g = model.graph();
        List<Finding> findings = new ArrayList<>();
        List<String> assumed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Long> bindings = new HashMap<>();
        boolean trustFixed = true;
        List<Value> real = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (!g.weights().containsKey(v.name())) {
                real.add(v);
            }
        }
        Set<String> matched = new LinkedHashSet<>();
        // 1. explicit shapes bind the symbols they replace
        for (Value v : real) {
            Shape given = options.inputShapes().get(v.name());
            if (given == null) {
                continue;
            }
            matched.add(v.name());
            if (v.shape().rankKnown() && v.shape().rank() == given.rank()) {
                for (int i = 0; i < given.rank(); i++) {
                    Dim d = v.shape().dim(i);
                    Count size = Count.of(given.dim(i));
                    if (d instanceof Dim.Symbolic s && size.known()) {
                        bindings.putIfAbsent(s.name(), size.value());
                    } else if (d instanceof Dim.Fixed f && !size.is(f.value())) {
                        trustFixed = false;
                    }
                }
            } else if (v.shape().rankKnown()) {
                trustFixed = false;
            }
        }
        for (String name : options.inputShapes().keySet()) {
            if (!matched.contains(name)) {
                List<String> names = real.stream().map(Value::name).toList();
                findings.add(Finding.error("input-shape-unmatched", "--input-shape names '" + name
                        + "', which is not an input of the model (inputs: " + String.join(", ", names) + ")", name));
            }
        }
        InputValues.checkNames(options, real, findings);
        // 2. the batch dim of the other inputs
        long batch = options.batch() > 0 ? options.batch() : 1;
        boolean batchUsed = false;
        for (Value v : real) {
            if (matched.contains(v.name()) || v.type() != null || !v.shape().rankKnown() || v.shape().rank() == 0) {
                continue;
            }
            Dim first = v.shape().dim(0);
            batchUsed |= !first.isFixed();
            if (symbolic && options.batch() <= 0) {
                continue;
            }
            if (first instanceof Dim.Symbolic s && !bindings.containsKey(s.name())) {
                bindings.put(s.name(), batch);
                if (options.batch() <= 0) {
                    assumed.add("input '" + v.name() + "': batch dim '" + s.name() + "' taken as 1 (--batch)");
                }
            } else if (first instanceof Dim.Unknown && options.batch() <= 0) {
                assumed.add("input '" + v.name() + "': unnamed batch dim taken as 1 (--batch)");
            }
        }
        if (options.batch() > 0 && !batchUsed) {
            notes.add("--batch " + options.batch() + " not used: no input has a symbolic or unknown first dim "
                    + "(use --input-shape)");
        }
        DeclaredShapes declared = new DeclaredShapes(bindings, trustFixed,
                symbolic ? inputSymbols(real, options) : null);
        List<Tensor> inputTensors = new ArrayList<>();
        List<Value> usedInputs = new ArrayList<>();
        for (Value v : g.inputs()) {
            Shape s;
            if (options.inputShapes().containsKey(v.name())) {
                s = options.inputShapes().get(v.name());
            } else {
                s = declared.substitute(v.shape());
                if (symbolic && real.contains(v) && v.type() == null) {
                    s = namedUnknowns(v.name(), s);
                } else if (s.rankKnown() && s.rank() > 0 && s.dim(0) instanceof Dim.Unknown && real.contains(v)) {
                    List<Dim> dims = new ArrayList<>(s.dims());
                    dims.set(0, Dim.of(batch));
                    s = new Shape(dims);
                }
            }
            if (real.contains(v)) {
                if (v.type() == null) {
                    describeUnresolved(v.name(), s, notes);
                }
                usedInputs.add(new Value(v.name(), v.dtype(), v.type() != null ? v.shape() : s, v.type()));
            }
            Tensor in = v.type() != null ? Tensor.ofType(v.type()) : Tensor.of(v.dtype(), s);
            List<Number> given = options.inputValues().get(v.name());
            if (given != null && real.contains(v)) {
                in = InputValues.bind(v, in, given, findings);
                usedInputs.set(usedInputs.size() - 1, new Value(v.name(), v.dtype(), in.shape(), v.type()));
            }
            inputTensors.add(in);
        }
        GraphEvaluator eval = new GraphEvaluator(model.opsets(), declared, 16 * countNodes(g) + 100_000, topo);
        List<Tensor> outs = eval.run(g, null, inputTensors, Count.ONE, "");
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            Value v = g.outputs().get(i);
            Tensor t = outs.get(i);
            outputs.add(new Value(v.name(), t.dtype() == DType.UNDEFINED ? v.dtype() : t.dtype(), t.shape(),
                    t.type() != null ? t.type() : v.type()));
        }
        assumed.addAll(eval.assumed());
        notes.addAll(eval.notes());
        findings.addAll(eval.findings());
        return new Result(eval.results(), usedInputs, outputs, assumed, notes, findings, eval.alternatives(), topo);
    }

    /** The symbols of the inputs as the symbolic pass binds them (given shapes, else declared ones). */
    private static Set<String> inputSymbols(List<Value> inputs, AnalysisOptions options) {
        Set<String> out = new java.util.HashSet<>();
        for (Value v : inputs) {
            Shape s = options.inputShapes().getOrDefault(v.name(), v.shape());
            if (s.rankKnown()) {
                for (Dim d : namedUnknowns(v.name(), s).dims()) {
                    if (d instanceof Dim.Symbolic sym) {
                        out.addAll(sym.expr().symbols());
                    }
                }
            }
        }
        return out;
    }

    /** Each unnamed dim of an input as its own symbol, so that the formula can name it. */
    private static Shape namedUnknowns(String input, Shape s) {
        if (!s.rankKnown()) {
            return s;
        }
        List<Dim> dims = new ArrayList<>(s.dims());
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i) instanceof Dim.Unknown) {
                dims.set(i, new Dim.Symbolic(dev.modeltally.ir.Expr.symbol(input + "_d" + i)));
            }
        }
        return new Shape(dims);
    }

    private static long countNodes(Graph g) {
        long n = g.nodes().size();
        for (dev.modeltally.ir.Node node : g.nodes()) {
            for (Graph sub : node.subgraphs()) {
                n += countNodes(sub);
            }
        }
        return n;
    }

    private static void describeUnresolved(String input, Shape s, List<String> notes) {
        if (!s.rankKnown()) {
            notes.add("input '" + input + "' has no declared shape: give --input-shape " + input + "=...");
            return;
        }
        for (int i = 0; i < s.rank(); i++) {
            Dim d = s.dim(i);
            if (!d.isFixed()) {
                notes.add("input '" + input + "' dim " + i + (d instanceof Dim.Symbolic sym ? " '" + sym.name() + "'"
                        : "") + " is unresolved: give --input-shape " + input + "=...");
            }
        }
    }
}
