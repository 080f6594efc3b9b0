package dev.modeltally.analysis;

import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two analysed models: totals, inputs/outputs, and weight-bearing layers aligned by name
 * where names match (two versions of one model) and otherwise by order and parameter count (a
 * Keras model against its ONNX export, whose node names differ entirely).
 */
public record ModelDiff(Report a, Report b, List<Pair> layers, String alignment, List<ValueDiff> values,
                        List<String> reasons) {

    /** One aligned row; either side may be null (only in the other model). */
    public record Pair(NodeParams a, NodeParams b) {
        public long difference() {
            return (b == null ? 0 : b.parameters()) - (a == null ? 0 : a.parameters());
        }
    }

    /** An input or output whose dtype or shape differs, or that one side lacks. */
    public record ValueDiff(String kind, String name, Value a, Value b) {
    }

    /** Cells of the order alignment table above this are too many; fall back to a linear walk. */
    private static final long MAX_CELLS = 4_000_000L;

    public static ModelDiff of(Report a, Report b) {
        List<NodeParams> na = a.nodes();
        List<NodeParams> nb = b.nodes();
        long byName = na.stream().filter(n -> nb.stream().anyMatch(m -> m.name().equals(n.name()))).count();
        boolean names = byName * 2 >= Math.min(na.size(), nb.size()) && byName > 0;
        List<Pair> layers = names ? byName(na, nb) : byOrder(na, nb);
        List<ValueDiff> values = new ArrayList<>();
        compareValues("input", a.inputs(), b.inputs(), values);
        compareValues("output", a.outputs(), b.outputs(), values);
        List<String> reasons = new ArrayList<>();
        long pa = a.parameters().total();
        long pb = b.parameters().total();
        if (pa != pb) {
            for (String r : Explanations.forParameters(b, pa, pb)) {
                reasons.add("B: " + r);
            }
            for (String r : Explanations.forParameters(a, pb, pa)) {
                reasons.add("A: " + r);
            }
        }
        return new ModelDiff(a, b, layers, names ? "name" : "order", values, reasons);
    }

    private static List<Pair> byName(List<NodeParams> na, List<NodeParams> nb) {
        Map<String, NodeParams> bByName = new HashMap<>();
        for (NodeParams n : nb) {
            bByName.putIfAbsent(n.name(), n);
        }
        List<Pair> out = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (NodeParams n : na) {
            NodeParams m = bByName.get(n.name());
            if (m != null && used.add(n.name())) {
                out.add(new Pair(n, m));
            } else {
                out.add(new Pair(n, null));
            }
        }
        for (NodeParams m : nb) {
            if (!used.contains(m.name())) {
                out.add(new Pair(null, m));
            }
        }
        return out;
    }

    /** Longest common subsequence of parameter counts: layers match when they hold as many parameters. */
    private static List<Pair> byOrder(List<NodeParams> na, List<NodeParams> nb) {
        int n = na.size();
        int m = nb.size();
        List<Pair> out = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < Math.max(n, m); i++) {
                out.add(new Pair(i < n ? na.get(i) : null, i < m ? nb.get(i) : null));
            }
            return out;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = na.get(i).parameters() == nb.get(j).parameters() ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && na.get(i).parameters() == nb.get(j).parameters()) {
                out.add(new Pair(na.get(i++), nb.get(j++)));
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Pair(na.get(i++), null));
            } else {
                out.add(new Pair(null, nb.get(j++)));
            }
        }
        return out;
    }

    private static void compareValues(String kind, List<Value> a, List<Value> b, List<ValueDiff> out) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Value va = i < a.size() ? a.get(i) : null;
            Value vb = i < b.size() ? b.get(i) : null;
            if (va == null || vb == null || !Objects.equals(va.shape().toString(), vb.shape().toString())
                    || va.dtype() != vb.dtype()) {
                out.add(new ValueDiff(kind, va != null ? va.name() : vb.name(), va, vb));
            }
        }
    }

    /**
     * One headline figure on both sides; null where a side does not know it. A side whose compute
     * coverage is incomplete has a lower bound only ({@code aLowerBound}/{@code bLowerBound}).
     */
    public record Total(String name, Long a, Long b, boolean aLowerBound, boolean bLowerBound) {
        Total(String name, Long a, Long b) {
            this(name, a, b, false, false);
        }
    }

    /** Headline figures; compute ones only when either side has them. */
    public List<Total> totals() {
        List<Total> out = new ArrayList<>();
        out.add(new Total("parameters", a.parameters().total(), b.parameters().total()));
        out.add(new Total("trainable", a.parameters().trainable(), b.parameters().trainable()));
        out.add(new Total("non_trainable", a.parameters().nonTrainable(), b.parameters().nonTrainable()));
        out.add(new Total("bytes", a.parameters().bytes(), b.parameters().bytes()));
        if (a.compute() != null || b.compute() != null) {
            boolean al = a.compute() != null && !a.compute().coverage().complete();
            boolean bl = b.compute() != null && !b.compute().coverage().complete();
            out.add(new Total("macs", a.compute() == null ? null : a.compute().macs(),
                    b.compute() == null ? null : b.compute().macs(), al, bl));
            out.add(new Total("flops", a.compute() == null ? null : a.compute().flops(),
                    b.compute() == null ? null : b.compute().flops(), al, bl));
        }
        return out;
    }
}
