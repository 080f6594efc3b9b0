package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the rules' MACs and other FLOPs over every node, each times the number of runs of its
 * (sub)graph. A node whose cost is unknown adds nothing and makes the totals lower bounds —
 * coverage says how many such nodes there are and why. Never a silent 0.
 */
public final class ComputeEstimate {

    private ComputeEstimate() {
    }

    public static Compute of(ShapeInference.Result shapes) {
        long macs = 0;
        long other = 0;
        int nodes = 0;
        int resolved = 0;
        int costUnknown = 0;
        int notExecuted = 0;
        Map<String, Integer> withoutRule = new TreeMap<>();
        Map<String, long[]> byType = new LinkedHashMap<>();
        List<NodeCompute> out = new ArrayList<>();
        for (NodeResult r : shapes.nodes()) {
            Node n = r.node();
            String key = OpRegistry.key(n.domain(), n.opType());
            OpResult res = r.result();
            Count m = res == null ? Count.UNKNOWN : res.macs();
            Count o = res == null ? Count.UNKNOWN : res.otherFlops();
            NodeCompute nc = new NodeCompute(n.displayName(), n.opType(), n.domain(), r.graph(), outputs(r),
                    parameters(r), m, o, r.runs(), r.status() != NodeResult.Status.NO_RULE);
            out.add(nc);
            if (r.runs().isZero()) {
                notExecuted++;
                continue;
            }
            nodes++;
            if (r.shapesResolved()) {
                resolved++;
            }
            if (r.status() == NodeResult.Status.NO_RULE) {
                withoutRule.merge(key, 1, Integer::sum);
            }
            Count tm = nc.totalMacs();
            Count to = nc.totalOtherFlops();
            long[] t = byType.computeIfAbsent(key, k -> new long[4]);
            t[0]++;
            if (!tm.known() || !to.known()) {
                costUnknown++;
                t[3]++;
            }
            if (tm.known()) { // an unknown term adds nothing: the totals are then lower bounds
                macs = Count.saturatingAdd(macs, tm.value());
                t[1] = Count.saturatingAdd(t[1], tm.value());
            }
            if (to.known()) {
                other = Count.saturatingAdd(other, to.value());
                t[2] = Count.saturatingAdd(t[2], to.value());
            }
        }
        Map<String, Compute.OpTypeCompute> types = new LinkedHashMap<>();
        byType.forEach((k, t) -> types.put(k, new Compute.OpTypeCompute((int) t[0], t[1], t[2], (int) t[3])));
        Compute.Coverage coverage = new Compute.Coverage(nodes, resolved, withoutRule, costUnknown, notExecuted);
        Compute.Range range = BranchRange.of(out, shapes.alternatives());
        if (range != null) { // the totals count each undecided If's cheapest branch; the range spans them all
            macs = range.macsMin();
            other = range.otherMin();
        }
        long flops = macs > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * macs;
        return new Compute(macs, flops, other, shapes.assumed(), coverage, shapes.notes(), shapes.inputs(),
                shapes.outputs(), types, out, range);
    }

    private static List<Value> outputs(NodeResult r) {
        List<Value> vs = new ArrayList<>();
        for (int i = 0; i < r.outputs().size(); i++) {
            Tensor t = r.outputs().get(i);
            String name = r.node().outputs().get(i);
            if (!name.isEmpty()) {
                vs.add(new Value(name, t.dtype(), t.shape(), t.type()));
            }
        }
        return vs;
    }

    /** Elements of the distinct parameter tensors a node reads (as the parameter count defines them). */
    private static long parameters(NodeResult r) {
        Map<Weight, Boolean> seen = new HashMap<>();
        long p = 0;
        for (Weight w : r.stored()) {
            if (w != null && seen.put(w, Boolean.TRUE) == null && ParameterCount.isParameter(w)
                    && w.dtype() != DType.UNDEFINED) {
                p = Count.saturatingAdd(p, dev.modeltally.ops.Shapes.elements(w.shape()).orElse(0));
            }
        }
        return Count.saturatingAdd(p, dev.modeltally.ops.MlAttributes.elements(r.node()));
    }
}
