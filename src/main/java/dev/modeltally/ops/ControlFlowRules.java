package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * If, Loop and Scan. The node itself costs nothing; its subgraph's nodes are counted as many
 * times as the subgraph runs: If — the branch its condition selects (when the condition is not
 * known, both, as alternatives: the estimate gives the range over them); Loop — the trip count M when it is known (unknown otherwise);
 * Scan — the length of the scanned axis.
 */
final class ControlFlowRules {

    private ControlFlowRules() {
    }

    static OpResult ifRule(OpContext c) {
        Graph thenG = graph(c, "then_branch");
        Graph elseG = graph(c, "else_branch");
        int outs = c.node().outputs().size();
        if (thenG == null || elseG == null) {
            return OpResult.unknown(outs);
        }
        Tensor cond = c.input(0);
        SymInt v = cond.values() != null && cond.values().size() == 1 ? cond.values().get(0) : SymInt.UNKNOWN;
        List<Tensor> result = new ArrayList<>();
        if (v.isKnown()) {
            boolean taken = v.longOr(0) != 0;
            List<Tensor> chosen = c.runSubgraph(taken ? thenG : elseG, List.of(), Count.ONE);
            c.runSubgraph(taken ? elseG : thenG, List.of(), Count.ZERO);
            result.addAll(chosen);
        } else {
            List<List<Tensor>> both = c.runBranches(List.of(thenG, elseG), List.of());
            List<Tensor> a = both.get(0);
            List<Tensor> b = both.get(1);
            for (int i = 0; i < outs; i++) {
                result.add(merge(i < a.size() ? a.get(i) : Tensor.UNKNOWN, i < b.size() ? b.get(i) : Tensor.UNKNOWN));
            }
        }
        return OpResult.builder().outputs(pad(result, outs)).macs(0).other(0).build();
    }

    static OpResult loop(OpContext c) {
        Graph body = graph(c, "body");
        int outs = c.node().outputs().size();
        if (body == null) {
            return OpResult.unknown(outs);
        }
        long trips = -1;
        if (c.present(0)) {
            Tensor m = c.input(0);
            trips = m.values() != null && m.values().size() == 1 ? m.values().get(0).longOr(-1) : -1;
        }
        int carried = Math.max(0, c.inputCount() - 2);
        List<Tensor> in = new ArrayList<>();
        in.add(Tensor.scalar(DType.INT64, SymInt.UNKNOWN));
        in.add(Tensor.of(DType.BOOL, Shape.scalar()));
        for (int i = 0; i < carried; i++) {
            in.add(c.input(2 + i));
        }
        List<Tensor> res = c.runSubgraph(body, in, Count.ofSize(trips));
        // loop-carried values whose shape changes between iterations: run again with those dims unknown
        boolean changed = false;
        for (int i = 0; i < carried && 1 + i < res.size(); i++) {
            Tensor before = in.get(2 + i);
            Tensor after = res.get(1 + i);
            Tensor general = generalize(before, after);
            if (!general.shape().equals(before.shape())) {
                in.set(2 + i, general);
                changed = true;
            }
        }
        if (changed) {
            res = c.runSubgraph(body, in, Count.ofSize(trips));
        }
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < carried; i++) {
            result.add(1 + i < res.size() ? res.get(1 + i).withValues(null) : Tensor.UNKNOWN);
        }
        // a trip count of symbolic value (a sequence length) stacks that many scan outputs, as a known one does
        SymInt tripValue = c.present(0) && c.input(0).values() != null && c.input(0).values().size() == 1
                ? c.input(0).values().get(0) : SymInt.UNKNOWN;
        Dim t = trips >= 0 ? Dim.of(trips) : tripValue instanceof SymInt.Sym ? tripValue.toDim() : Dim.UNKNOWN;
        for (int i = 1 + carried; i < res.size(); i++) {
            result.add(stacked(res.get(i), t, 0));
        }
        OpResult.Builder b = OpResult.builder().outputs(pad(result, outs)).macs(0).other(0);
        if (trips > 0 && !conditionAlwaysTrue(c, body)) {
            b.assumed("Loop '" + c.node().displayName() + "' runs all " + trips
                    + " iterations (its condition could end it sooner)");
        }
        return b.build();
    }

    static OpResult scan(OpContext c) {
        Graph body = graph(c, "body");
        int outs = c.node().outputs().size();
        if (body == null || (c.opset() > 0 && c.opset() < 9)) {
            return OpResult.unknown(outs);
        }
        int scanInputs = (int) c.attrs().getLong("num_scan_inputs", 0);
        int states = c.inputCount() - scanInputs;
        if (scanInputs <= 0 || states < 0) {
            return OpResult.unknown(outs);
        }
        long[] inAxes = Args.longs(c, "scan_input_axes", scanInputs, 0);
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            in.add(c.input(i));
        }
        Dim steps = Dim.UNKNOWN;
        for (int i = 0; i < scanInputs; i++) {
            Tensor x = c.input(states + i);
            int axis = Shapes.axis(inAxes[i], x.rank());
            if (axis < 0) {
                in.add(Tensor.of(x.dtype(), Shape.unknownRank()));
                continue;
            }
            List<Dim> dims = new ArrayList<>(x.shape().dims());
            steps = DimMath.unify(steps, dims.remove(axis));
            in.add(Tensor.of(x.dtype(), new Shape(dims)));
        }
        List<Tensor> res = c.runSubgraph(body, in, Count.of(steps));
        OpResult.Builder b = OpResult.builder().macs(0).other(0);
        for (int i = 0; i < states; i++) {
            b.output(i < res.size() ? res.get(i).withValues(null) : Tensor.UNKNOWN);
        }
        int scanOuts = Math.max(0, outs - states);
        long[] outAxes = Args.longs(c, "scan_output_axes", scanOuts, 0);
        for (int i = 0; i < scanOuts; i++) {
            Tensor r = states + i < res.size() ? res.get(states + i) : Tensor.UNKNOWN;
            b.output(stacked(r, steps, outAxes[i]));
        }
        return b.build();
    }

    /** A per-iteration tensor stacked along {@code axis} into {@code steps}. */
    private static Tensor stacked(Tensor perStep, Dim steps, long axis) {
        if (!perStep.rankKnown()) {
            return Tensor.of(perStep.dtype(), Shape.unknownRank());
        }
        List<Dim> dims = new ArrayList<>(perStep.shape().dims());
        int k = Shapes.axis(axis, dims.size() + 1);
        dims.add(Math.max(0, k), steps);
        return Tensor.of(perStep.dtype(), new Shape(dims));
    }

    private static Tensor merge(Tensor a, Tensor b) {
        if (a.type() != null || b.type() != null) {
            return generalize(a, b);
        }
        if (!a.rankKnown() || !b.rankKnown() || a.rank() != b.rank()) {
            return Tensor.of(a.dtype(), Shape.unknownRank());
        }
        return generalize(a, b);
    }

    /** Dims equal in both stay; others become Unknown. */
    private static Tensor generalize(Tensor a, Tensor b) {
        if (a.type() != null || b.type() != null) {
            return generalizeContainers(a, b);
        }
        if (!a.rankKnown() || !b.rankKnown() || a.rank() != b.rank()) {
            return Tensor.of(a.dtype(), a.rankKnown() && b.rankKnown() ? Shape.unknownRank() : a.shape());
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < a.rank(); i++) {
            dims.add(a.dim(i).equals(b.dim(i)) ? a.dim(i) : Dim.UNKNOWN);
        }
        return Tensor.of(a.dtype(), new Shape(dims));
    }

    /** Sequences of either length: the element type they share, the length where both agree. */
    private static Tensor generalizeContainers(Tensor a, Tensor b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.isSequence() && b.isSequence()) {
            dev.modeltally.ir.ValueType e;
            if (a.items() != null && a.items().isEmpty()) {
                e = b.elementType(); // an empty start (SequenceEmpty) says nothing of the elements
            } else if (b.items() != null && b.items().isEmpty()) {
                e = a.elementType();
            } else {
                e = a.elementType().equals(b.elementType()) ? a.elementType()
                        : SequenceRules.common(List.of(Tensor.ofType(a.elementType()), Tensor.ofType(b.elementType())));
            }
            Dim n = a.dim(0).equals(b.dim(0)) ? a.dim(0) : Dim.UNKNOWN;
            return Tensor.sequence(e, n, null);
        }
        return a.type() != null && a.type().equals(b.type()) ? Tensor.ofType(a.type()) : Tensor.UNKNOWN;
    }

    /** The body hands its condition input straight back (or via Identity), and the initial one is not false. */
    private static boolean conditionAlwaysTrue(OpContext c, Graph body) {
        if (c.present(1)) {
            Tensor cond = c.input(1);
            if (cond.values() == null || cond.values().size() != 1 || cond.values().get(0).longOr(0) == 0) {
                return false;
            }
        }
        if (body.inputs().size() < 2 || body.outputs().isEmpty()) {
            return false;
        }
        String condIn = body.inputs().get(1).name();
        String condOut = body.outputs().get(0).name();
        if (condOut.equals(condIn)) {
            return true;
        }
        for (Node n : body.nodes()) {
            if (n.outputs().contains(condOut)) {
                return n.opType().equals("Identity") && n.inputs().size() == 1 && n.inputs().get(0).equals(condIn);
            }
        }
        return false;
    }

    private static Graph graph(OpContext c, String attr) {
        return c.attrs().get(attr).orElse(null) instanceof Graph g ? g : null;
    }

    private static List<Tensor> pad(List<Tensor> ts, int n) {
        List<Tensor> out = new ArrayList<>(ts);
        while (out.size() < n) {
            out.add(Tensor.UNKNOWN);
        }
        return out;
    }
}
