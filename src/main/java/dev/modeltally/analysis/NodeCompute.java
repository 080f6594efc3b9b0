package dev.modeltally.analysis;

import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import java.util.List;

/**
 * One node's share of the compute. {@code macs} and {@code otherFlops} are per execution, each may
 * be unknown; {@code runs} is how many times the node runs per model execution (subgraphs), may be
 * unknown.
 *
 * @param graph "" for the main graph, else the subgraph's path
 */
public record NodeCompute(String name, String opType, String domain, String graph, List<Value> outputs,
                          long parameters, Count macs, Count otherFlops, Count runs, boolean hasRule) {

    public NodeCompute {
        outputs = List.copyOf(outputs);
    }

    /** MACs over all runs (unknown when either is, unless one is 0). */
    public Count totalMacs() {
        return Count.perRun(macs, runs);
    }

    public Count totalOtherFlops() {
        return Count.perRun(otherFlops, runs);
    }
}
