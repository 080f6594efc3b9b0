package dev.modeltally.report;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.analysis.TensorBytes;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The compute part of the {@code inspect} table: totals, coverage, top nodes, the per-node table. */
final class ComputeText {

    private ComputeText() {
    }

    static void summary(StringBuilder sb, Report r) {
        Compute c = r.compute();
        if (c == null) {
            sb.append("Compute         ").append(r.hasGraph() ? "not estimated (see findings)"
                    : "unknown: the file has no graph (weights only)").append('\n');
            return;
        }
        String bound = c.lowerBound() ? "at least " : "";
        Compute.Range range = c.range();
        if (range != null) {
            sb.append("Compute         ").append(Numbers.short_(range.macsMin())).append(" to ")
                    .append(short_(range.macsMax())).append(" MACs, ")
                    .append(Numbers.short_(range.flopsMin())).append(" to ")
                    .append(short_(range.flopsMax()))
                    .append(" FLOPs (2 per MAC)  RANGE: an If is undecided (see note)\n");
            sb.append(row("range", Numbers.grouped(range.macsMin()) + " to " + count(range.macsMax())
                    + " MACs over the undecided branches"));
        } else {
            sb.append("Compute         ").append(bound).append(Numbers.short_(c.macs())).append(" MACs, ")
                    .append(bound).append(Numbers.short_(c.flops())).append(" FLOPs (2 per MAC)");
            sb.append(c.lowerBound() ? "  LOWER BOUND: coverage incomplete\n" : "\n");
        }
        // the full figures; a lower bound is never labelled exact
        sb.append(row(range != null ? "cheapest" : c.lowerBound() ? "at least" : "exact", Numbers.grouped(c.macs()) + " MACs, "
                + Numbers.grouped(c.flops()) + " FLOPs"));
        sb.append(row("other FLOPs", bound + Numbers.grouped(c.otherFlops())
                + "  (bias, normalisation, activations, pooling, softmax, elementwise)"));
        sb.append(row("coverage", coverage(c.coverage())));
        FormulaText.rows(sb, c.formula());
        for (String a : c.assumed()) {
            sb.append(row("assumed", a));
        }
        for (String n : c.notes()) {
            sb.append(row("note", n));
        }
        if (!c.inputs().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Value v : c.inputs()) {
                parts.add(v.name() + " " + v.shape());
            }
            sb.append(row("at inputs", String.join(", ", parts)));
        }
    }

    static String coverage(Compute.Coverage cov) {
        StringBuilder s = new StringBuilder();
        s.append(cov.shapesResolved()).append(" of ").append(cov.nodes()).append(" nodes with resolved shapes");
        if (cov.opsWithoutRule().isEmpty()) {
            s.append("; every op has a rule");
        } else {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(cov.opsWithoutRule()).entrySet()) {
                parts.add(e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""));
            }
            s.append("; no rule for ").append(String.join(", ", parts));
        }
        if (cov.costUnknown() > 0) {
            s.append("; ").append(cov.costUnknown()).append(" node(s) not counted");
        }
        if (cov.notExecuted() > 0) {
            s.append("; ").append(cov.notExecuted()).append(" in untaken If branches");
        }
        return s.toString();
    }

    static void topNodes(StringBuilder sb, Compute c, int top) {
        List<NodeCompute> ranked = new ArrayList<>();
        for (NodeCompute n : c.nodes()) {
            if (n.totalMacs().orElse(0) > 0) {
                ranked.add(n);
            }
        }
        if (ranked.isEmpty() || top <= 0) {
            return;
        }
        ranked.sort(Comparator.comparingLong((NodeCompute nc) -> nc.totalMacs().value()).reversed());
        int n = Math.min(top, ranked.size());
        sb.append('\n').append("Top nodes by MACs (").append(n).append(" of ").append(ranked.size()).append(")\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "node", "op", "output shape", "MACs", "share"});
        for (int i = 0; i < n; i++) {
            NodeCompute nc = ranked.get(i);
            rows.add(new String[] {Integer.toString(i + 1), nc.name(), nc.opType(), firstShape(nc),
                Numbers.grouped(nc.totalMacs().value()), Numbers.percent(nc.totalMacs().value(), c.macs())});
        }
        sb.append(Columns.format(rows, "  ", new boolean[] {true, false, false, false, true, true}));
    }

    static void perNode(StringBuilder sb, Compute c) {
        sb.append('\n').append("Nodes (").append(c.nodes().size()).append(")\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "node", "op", "output shape", "params", "MACs", "other FLOPs", "output bytes",
            "runs"});
        int i = 0;
        for (NodeCompute n : c.nodes()) {
            String name = n.graph().isEmpty() ? n.name() : n.graph() + "/" + n.name();
            rows.add(new String[] {Integer.toString(++i), name, n.hasRule() ? n.opType() : n.opType() + " (no rule)",
                firstShape(n), n.parameters() > 0 ? Numbers.grouped(n.parameters()) : "", count(n.macs()),
                count(n.otherFlops()), outputBytes(n), n.runs().is(1) ? "" : count(n.runs())});
        }
        sb.append(Columns.format(rows, "  ", new boolean[] {true, false, false, false, true, true, true, true, true}));
    }

    private static String firstShape(NodeCompute n) {
        if (n.outputs().isEmpty()) {
            return "";
        }
        Value v = n.outputs().get(0);
        String s = v.type() == null ? v.shape().toString() : ValueText.describe(v);
        return s + (n.outputs().size() > 1 ? " +" + (n.outputs().size() - 1) : "");
    }

    /** The bytes of all the node's outputs, "?" when one is of unknown size. */
    private static String outputBytes(NodeCompute n) {
        long total = 0;
        for (Value v : n.outputs()) {
            long b = TensorBytes.of(v.dtype(), v.shape());
            if (b < 0) {
                return "?";
            }
            total = total > Long.MAX_VALUE - b ? Long.MAX_VALUE : total + b;
        }
        return Numbers.grouped(total);
    }

    private static String short_(Count v) {
        return v.known() ? Numbers.short_(v.value()) : "?";
    }

    private static String count(Count v) {
        return v.known() ? Numbers.grouped(v.value()) : "?";
    }

    private static String row(String label, String value) {
        return Columns.row(label, value);
    }
}
