package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.ExprSimplifier;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.OpResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cost formula: shape inference again with the symbolic dims kept (only what the options pin by
 * number is bound), each node's cost read from its rule as an expression ({@link CostFit}), summed
 * as {@link ComputeEstimate} sums (times the node's runs; FLOPs = 2 × MACs), and memory from the
 * same timeline as the report's. Null when no input dim is symbolic.
 */
public final class FormulaEstimate {

    private FormulaEstimate() {
    }

    public static Formula of(Model model, AnalysisOptions options) {
        return of(model, options, new TopoOrder());
    }

    /** With the node orders of an earlier pass over the same model (they depend on the graph alone). */
    static Formula of(Model model, AnalysisOptions options, TopoOrder topo) {
        if (!mayHaveSymbols(model, options)) {
            return null; // every input's size is a number: no second shape inference for nothing
        }
        ShapeInference.Result shapes = ShapeInference.runSymbolic(model, options, topo);
        List<Formula.Symbol> symbols = symbols(model.graph().inputs(), shapes.inputs());
        if (symbols.isEmpty()) {
            return null;
        }
        List<Formula.Partial> partial = new ArrayList<>();
        Set<String> undecided = new HashSet<>();
        List<String> branches = new ArrayList<>();
        for (Alternative a : shapes.alternatives()) {
            undecided.add(a.node());
            branches.addAll(a.branches());
        }
        CostFit fit = new CostFit(model.opsets(), shapes.nodes().size());
        Expr macs = Expr.ZERO;
        Expr other = Expr.ZERO;
        Map<Expr, Long> macsTimes = new LinkedHashMap<>();
        Map<Expr, Long> otherTimes = new LinkedHashMap<>();
        long constantMacs = 0; // most nodes' cost does not depend on the symbols: summed as numbers
        long constantOther = 0;
        boolean overflow = false;
        for (NodeResult r : shapes.nodes()) {
            if (r.runs().isZero() || inBranch(r.graph(), branches)) {
                continue; // an undecided If's branches: the If is listed as partial instead
            }
            Node n = r.node();
            OpResult res = r.result();
            if (r.status() == NodeResult.Status.EVALUATED && res != null && r.runs().known() && res.macs().known()
                    && res.otherFlops().known() && (n.subgraphs().isEmpty() || !undecided.contains(n.displayName()))) {
                try {
                    constantMacs = Math.addExact(constantMacs, Math.multiplyExact(res.macs().value(), r.runs().value()));
                    constantOther = Math.addExact(constantOther,
                            Math.multiplyExact(res.otherFlops().value(), r.runs().value()));
                } catch (ArithmeticException e) {
                    overflow = true;
                }
                continue;
            }
            String why = null;
            Expr m = null;
            Expr o = null;
            if (!n.subgraphs().isEmpty() && undecided.contains(n.displayName())) {
                why = "an If whose branch is not decided (see compute.range)";
            } else if (r.status() == NodeResult.Status.NO_RULE) {
                why = "no rule for " + OpRegistry.key(n.domain(), n.opType());
            } else if (r.status() != NodeResult.Status.EVALUATED || res == null) {
                why = "not evaluated";
            } else if (!r.runs().known()) {
                why = "it runs an unknown number of times";
            } else if (!n.subgraphs().isEmpty()) {
                why = "a control-flow node whose own cost is unknown";
            } else {
                CostFit.Fitted f = fit.fit(r);
                if (f.ok()) {
                    m = f.macs();
                    o = f.other();
                } else {
                    why = f.failure();
                }
            }
            if (why != null) {
                partial.add(new Formula.Partial(n.displayName(), OpRegistry.key(n.domain(), n.opType()), why));
                continue;
            }
            // nodes that share a fit share its expressions: counted, then summed once each
            macsTimes.merge(m, r.runs().value(), FormulaEstimate::addExact);
            otherTimes.merge(o, r.runs().value(), FormulaEstimate::addExact);
        }
        try {
            for (Map.Entry<Expr, Long> e : macsTimes.entrySet()) {
                macs = macs.plus(e.getKey().times(e.getValue()));
            }
            for (Map.Entry<Expr, Long> e : otherTimes.entrySet()) {
                other = other.plus(e.getKey().times(e.getValue()));
            }
        } catch (ArithmeticException e) {
            overflow = true;
        }
        try {
            macs = macs.plus(constantMacs);
            other = other.plus(constantOther);
        } catch (ArithmeticException e) {
            overflow = true;
        }
        Expr flops = null;
        if (overflow) {
            macs = null;
            other = null;
        } else {
            try {
                flops = macs.times(2);
            } catch (ArithmeticException e) {
                flops = null;
            }
        }
        Expr activations = null;
        Expr peak = null;
        try {
            MemoryFormula.Result mem = MemoryFormula.of(model.graph(), shapes);
            activations = mem.activations();
            peak = mem.peak();
            if (peak == null) {
                partial.add(new Formula.Partial(model.graph().name(), "graph", "memory: the peak is the largest of "
                        + mem.peakCandidates() + " expressions, past the size an expression may have"));
            }
            if (mem.unknownTensors() > 0) {
                partial.addAll(unsized(mem.unsized()));
                if (partial.stream().noneMatch(p -> p.reason().startsWith("memory"))) {
                    partial.add(new Formula.Partial(model.graph().name(), "graph", "memory: "
                            + mem.unknownTensors() + " tensor(s) whose size is not an expression of the symbols"));
                }
            }
        } catch (ArithmeticException e) {
            partial.add(new Formula.Partial(model.graph().name(), "graph", "memory: the expressions overflow"));
        }
        // exact clamps and broadcasts leave min/max that are decided wherever sizes are >= 0
        Expr simpleMacs = ExprSimplifier.simplify(macs);
        return new Formula(symbols, simpleMacs, twice(simpleMacs, macs, flops), ExprSimplifier.simplify(other),
                ExprSimplifier.simplify(activations), ExprSimplifier.simplify(peak), partial);
    }

    /** FLOPs as 2 × the simplified MACs, so that the two read alike. */
    private static Expr twice(Expr simpleMacs, Expr macs, Expr flops) {
        if (simpleMacs == macs || flops == null) {
            return flops;
        }
        try {
            return simpleMacs.times(2);
        } catch (ArithmeticException e) {
            return ExprSimplifier.simplify(flops);
        }
    }

    /** The inputs and node outputs whose size the memory expressions leave out, one entry per node. */
    private static List<Formula.Partial> unsized(List<String[]> where) {
        List<Formula.Partial> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String[] w : where) {
            if (seen.add(w[0] + "\u0000" + w[1])) {
                out.add(new Formula.Partial(w[0], w[1], "input".equals(w[1])
                        ? "memory: its size is not an expression of the symbols"
                        : "memory: output '" + w[2] + "' has a size that is not an expression of the symbols"));
            }
        }
        return out;
    }

    /** Saturates: an overflowing count makes the product overflow, which the caller reports. */
    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean inBranch(String graph, List<String> branches) {
        if (branches.isEmpty()) {
            return false;
        }
        for (String b : branches) {
            if (graph.equals(b) || graph.startsWith(b + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * False when every tensor input's shape, as given or declared, is all numbers, so the symbolic
     * pass would find no symbol (static exports, or --input-shape for every input).
     */
    private static boolean mayHaveSymbols(Model model, AnalysisOptions options) {
        for (Value v : model.graph().inputs()) {
            if (v.type() != null || model.graph().weights().containsKey(v.name())) {
                continue;
            }
            if (!options.inputShapes().getOrDefault(v.name(), v.shape()).isFullyKnown()) {
                return true;
            }
        }
        return false;
    }

    /** The symbols of the inputs' dims, each named after the first input and axis it appears at. */
    static List<Formula.Symbol> symbols(List<Value> declared, List<Value> inputs) {
        Set<String> unnamed = new HashSet<>();
        for (Value v : declared) {
            if (v.shape().rankKnown()) {
                for (int i = 0; i < v.shape().rank(); i++) {
                    if (v.shape().dim(i) instanceof Dim.Unknown) {
                        unnamed.add(v.name() + "_d" + i);
                    }
                }
            }
        }
        Map<String, Formula.Symbol> out = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        // a symbol is named after a dim that is that symbol alone, else the first dim that reads it
        for (boolean alone : new boolean[] {true, false}) {
            for (Value v : inputs) {
                if (v.type() != null || !v.shape().rankKnown()) {
                    continue;
                }
                for (int i = 0; i < v.shape().rank(); i++) {
                    if (!(v.shape().dim(i) instanceof Dim.Symbolic s) || s.expr().isSymbol() != alone) {
                        continue;
                    }
                    for (String raw : s.expr().symbols()) {
                        if (out.containsKey(raw)) {
                            continue;
                        }
                        String id = Identifiers.of(raw);
                        for (int k = 2; ids.contains(id); k++) {
                            id = Identifiers.of(raw) + "_" + k;
                        }
                        ids.add(id);
                        out.put(raw, new Formula.Symbol(id, v.name(), i, unnamed.contains(raw) ? null : raw, raw));
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
