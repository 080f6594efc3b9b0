package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.OpRule;
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
        ShapeInference.Result shapes = ShapeInference.runSymbolic(model, options);
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
        CostFit fit = new CostFit(model.opsets());
        Expr macs = Expr.ZERO;
        Expr other = Expr.ZERO;
        boolean overflow = false;
        for (NodeResult r : shapes.nodes()) {
            if (r.runs().isZero() || inBranch(r.graph(), branches)) {
                continue; // an undecided If's branches: the If is listed as partial instead
            }
            Node n = r.node();
            String op = OpRegistry.key(n.domain(), n.opType());
            String why = null;
            Expr m = null;
            Expr o = null;
            OpResult res = r.result();
            if (undecided.contains(n.displayName()) && !n.subgraphs().isEmpty()) {
                why = "an If whose branch is not decided (see compute.range)";
            } else if (r.status() == NodeResult.Status.NO_RULE) {
                why = "no rule for " + op;
            } else if (r.status() != NodeResult.Status.EVALUATED || res == null) {
                why = "not evaluated";
            } else if (!r.runs().known()) {
                why = "it runs an unknown number of times";
            } else if (res.macs().known() && res.otherFlops().known()) {
                m = Expr.constant(res.macs().value());
                o = Expr.constant(res.otherFlops().value());
            } else if (!n.subgraphs().isEmpty()) {
                why = "a control-flow node whose own cost is unknown";
            } else {
                OpRule rule = OpRegistry.find(n.domain(), n.opType());
                CostFit.Fitted f = rule == null ? CostFit.Fitted.failed("no rule for " + op) : fit.fit(r, rule);
                if (f.ok()) {
                    m = f.macs();
                    o = f.other();
                } else {
                    why = f.failure();
                }
            }
            if (why != null) {
                partial.add(new Formula.Partial(n.displayName(), op, why));
                continue;
            }
            try {
                macs = macs.plus(m.times(r.runs().value()));
                other = other.plus(o.times(r.runs().value()));
            } catch (ArithmeticException e) {
                overflow = true;
            }
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
            if (mem.unknownTensors() > 0) {
                partial.addAll(unsized(model, shapes, branches));
                if (partial.stream().noneMatch(p -> p.reason().startsWith("memory"))) {
                    partial.add(new Formula.Partial(model.graph().name(), "graph", "memory: "
                            + mem.unknownTensors() + " tensor(s) whose size is not an expression of the symbols"));
                }
            }
        } catch (ArithmeticException e) {
            partial.add(new Formula.Partial(model.graph().name(), "graph", "memory: the expressions overflow"));
        }
        return new Formula(symbols, macs, flops, other, activations, peak, partial);
    }

    /** The inputs and node outputs whose size the memory expressions leave out, each named. */
    private static List<Formula.Partial> unsized(Model model, ShapeInference.Result shapes, List<String> branches) {
        List<Formula.Partial> out = new ArrayList<>();
        for (Value v : shapes.inputs()) {
            if (!model.graph().weights().containsKey(v.name())
                    && MemoryFormula.bytes(dev.modeltally.ops.Tensor.of(v.dtype(), v.shape())) == null) {
                out.add(new Formula.Partial(v.name(), "input", "memory: its size is not an expression of the symbols"));
            }
        }
        for (NodeResult r : shapes.nodes()) {
            Node n = r.node();
            if (r.runs().isZero() || inBranch(r.graph(), branches) || (n.isDefaultDomain() && n.opType().equals("Constant"))) {
                continue;
            }
            for (int k = 0; k < n.outputs().size() && k < r.outputs().size(); k++) {
                if (!n.outputs().get(k).isEmpty() && MemoryFormula.bytes(r.outputs().get(k)) == null) {
                    out.add(new Formula.Partial(n.displayName(), OpRegistry.key(n.domain(), n.opType()),
                            "memory: output '" + n.outputs().get(k) + "' has a size that is not an expression of the symbols"));
                    break;
                }
            }
        }
        return out;
    }

    private static boolean inBranch(String graph, List<String> branches) {
        for (String b : branches) {
            if (graph.equals(b) || graph.startsWith(b + "/")) {
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
