package dev.modeltally.report.html;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the per-layer table, in model order. {@code outputShape} and {@code macs} are null
 * when the analysis did not estimate them (never 0 for "unknown").
 *
 * @param graph the subgraph a node belongs to, "" in the main graph
 * @param runs  how often the node runs per model run (subgraph loops), null when unknown
 * @param macs  over all runs
 */
record Layer(int index, String name, String op, boolean hasRule, String graph, String outputShape, long parameters,
             Long macs, Long runs) {

    /**
     * Every node with its compute when compute was estimated (in evaluation order, subgraph nodes
     * included); otherwise the nodes that hold parameters, as the parameter count records them.
     */
    static List<Layer> of(Report r) {
        Compute c = r.compute();
        List<Layer> layers = new ArrayList<>();
        if (c != null && !c.nodes().isEmpty()) {
            for (NodeCompute n : c.nodes()) {
                layers.add(new Layer(layers.size() + 1, n.name(), op(n), n.hasRule(), n.graph(), shape(n),
                        n.parameters(), boxed(n.totalMacs()), boxed(n.runs())));
            }
            return layers;
        }
        for (NodeParams n : r.nodes()) {
            layers.add(new Layer(layers.size() + 1, n.name(), n.opType(), true, "", null, n.parameters(), null, 1L));
        }
        return layers;
    }

    /** Whether the rows come from the compute estimate (all nodes, with MACs and shapes). */
    static boolean fromCompute(Report r) {
        return r.compute() != null && !r.compute().nodes().isEmpty();
    }

    private static String op(NodeCompute n) {
        return n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + "." + n.opType();
    }

    /** A count, or null when unknown. */
    private static Long boxed(Count c) {
        return c.known() ? c.value() : null;
    }

    private static String shape(NodeCompute n) {
        if (n.outputs().isEmpty()) {
            return null;
        }
        String first = n.outputs().get(0).shape().toString();
        return n.outputs().size() == 1 ? first : first + " +" + (n.outputs().size() - 1);
    }
}
