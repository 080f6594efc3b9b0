package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.List;

/**
 * The range of the totals over undecided If branches. Every node belongs to the innermost branch
 * path that holds it (or to the model itself); a branch's span is its own nodes plus, for each
 * undecided If inside it, the cheapest and the dearest of that If's branches.
 */
final class BranchRange {

    private final List<NodeCompute> nodes;
    private final List<Alternative> alternatives;
    private final List<String> branchPaths = new ArrayList<>();

    private BranchRange(List<NodeCompute> nodes, List<Alternative> alternatives) {
        this.nodes = nodes;
        this.alternatives = alternatives;
        alternatives.forEach(a -> branchPaths.addAll(a.branches()));
    }

    /** The range over the whole model, or null when no branch is undecided. */
    static Compute.Range of(List<NodeCompute> nodes, List<Alternative> alternatives) {
        if (alternatives.isEmpty()) {
            return null;
        }
        long[] r = new BranchRange(nodes, alternatives).span("");
        return new Compute.Range(r[0], r[1], r[2], r[3]);
    }

    /** The innermost branch path holding a graph path, or "" for the model's own nodes. */
    private String owner(String graph) {
        String best = "";
        for (String b : branchPaths) {
            if ((graph.equals(b) || graph.startsWith(b + "/")) && b.length() > best.length()) {
                best = b;
            }
        }
        return best;
    }

    /** {min MACs, max MACs, min other, max other}; a max of -1 is unknown. */
    private long[] span(String owner) {
        long[] s = new long[4];
        for (NodeCompute n : nodes) {
            if (n.runs().isZero() || !owner(n.graph()).equals(owner)) {
                continue;
            }
            add(s, n.totalMacs(), 0);
            add(s, n.totalOtherFlops(), 2);
        }
        for (Alternative a : alternatives) {
            if (!owner(a.graph()).equals(owner)) {
                continue;
            }
            long[] lo = null;
            long[] hi = null;
            for (String b : a.branches()) {
                long[] x = span(b);
                lo = lo == null ? x.clone() : new long[] {Math.min(lo[0], x[0]), 0, Math.min(lo[2], x[2]), 0};
                hi = hi == null ? x.clone() : new long[] {0, max(hi[1], x[1]), 0, max(hi[3], x[3])};
            }
            if (lo != null) {
                s[0] = Count.saturatingAdd(s[0], lo[0]);
                s[2] = Count.saturatingAdd(s[2], lo[2]);
                s[1] = s[1] < 0 || hi[1] < 0 ? -1 : Count.saturatingAdd(s[1], hi[1]);
                s[3] = s[3] < 0 || hi[3] < 0 ? -1 : Count.saturatingAdd(s[3], hi[3]);
            }
        }
        return s;
    }

    private static long max(long a, long b) {
        return a < 0 || b < 0 ? -1 : Math.max(a, b);
    }

    /** Adds a node's total to a span: unknown leaves the minimum alone and makes the maximum unknown. */
    private static void add(long[] s, Count v, int at) {
        if (!v.known()) {
            s[at + 1] = -1;
            return;
        }
        s[at] = Count.saturatingAdd(s[at], v.value());
        s[at + 1] = s[at + 1] < 0 ? -1 : Count.saturatingAdd(s[at + 1], v.value());
    }
}
