package dev.modeltally.analysis;

import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import java.util.List;

/**
 * One node's share of the compute. {@code macs} and {@code otherFlops} are per execution, -1 when
 * unknown; {@code runs} is how many times the node runs per model execution (subgraphs), -1 unknown.
 *
 * @param graph "" for the main graph, else the subgraph's path
 */
public record NodeCompute(String name, String opType, String domain, String graph, List<Value> outputs,
                          long parameters, long macs, long otherFlops, long runs, boolean hasRule) {

    public NodeCompute {
        outputs = List.copyOf(outputs);
    }

    /** MACs over all runs, or -1 when unknown. */
    public long totalMacs() {
        return times(macs, runs);
    }

    public long totalOtherFlops() {
        return times(otherFlops, runs);
    }

    private static long times(long perRun, long runs) {
        return Count.times(perRun, runs);
    }
}
