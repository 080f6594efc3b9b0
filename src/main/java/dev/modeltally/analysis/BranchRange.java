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
        return new BranchRange(nodes, alternatives).span("");
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

    /** The span of a branch path's own nodes and, per undecided If inside, its cheapest and dearest branch. */
    private Compute.Range span(String owner) {
        Compute.Range s = new Compute.Range(0, Count.ZERO, 0, Count.ZERO);
        for (NodeCompute n : nodes) {
            if (n.runs().isZero() || !owner(n.graph()).equals(owner)) {
                continue;
            }
            s = plus(s, n.totalMacs(), n.totalOtherFlops());
        }
        for (Alternative a : alternatives) {
            if (!owner(a.graph()).equals(owner)) {
                continue;
            }
            Compute.Range lo = null;
            Compute.Range hi = null;
            for (String b : a.branches()) {
                Compute.Range x = span(b);
                lo = lo == null ? x : new Compute.Range(Math.min(lo.macsMin(), x.macsMin()), Count.ZERO,
                        Math.min(lo.otherMin(), x.otherMin()), Count.ZERO);
                hi = hi == null ? x : new Compute.Range(0, max(hi.macsMax(), x.macsMax()), 0,
                        max(hi.otherMax(), x.otherMax()));
            }
            if (lo != null) {
                s = new Compute.Range(Count.saturatingAdd(s.macsMin(), lo.macsMin()), saturatingPlus(s.macsMax(),
                        hi.macsMax()), Count.saturatingAdd(s.otherMin(), lo.otherMin()),
                        saturatingPlus(s.otherMax(), hi.otherMax()));
            }
        }
        return s;
    }

    private static Count max(Count a, Count b) {
        return a.known() && b.known() ? Count.of(Math.max(a.value(), b.value())) : Count.UNKNOWN;
    }

    /** A maximum plus a term: unknown when either is; past 2^63 - 1 it saturates, as the totals do. */
    private static Count saturatingPlus(Count a, Count b) {
        return a.known() && b.known() ? Count.of(Count.saturatingAdd(a.value(), b.value())) : Count.UNKNOWN;
    }

    /** Adds a node's totals to a span: unknown leaves the minimum alone and makes the maximum unknown. */
    private static Compute.Range plus(Compute.Range s, Count macs, Count other) {
        return new Compute.Range(Count.saturatingAdd(s.macsMin(), macs.orElse(0)), saturatingPlus(s.macsMax(), macs),
                Count.saturatingAdd(s.otherMin(), other.orElse(0)), saturatingPlus(s.otherMax(), other));
    }
}
