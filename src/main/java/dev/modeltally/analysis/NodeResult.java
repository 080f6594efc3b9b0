package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.Count;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What shape inference concluded for one node.
 *
 * @param graph     "" for the main graph, else the path of the subgraph ("loop/body")
 * @param inputs    what was known of each input when the node was evaluated
 * @param stored    for each input, the stored tensor it reads (through Identity), or null
 * @param producers for each input, the node that produced it in the same evaluation, or null
 * @param outputs   one tensor per output, after merging what the file declares
 * @param result    the rule's result; null when the op has no rule or the node was not evaluated
 * @param runs      how many times the node runs per model execution (may be unknown; 0: never)
 * @param status    how far evaluation got
 */
public record NodeResult(Node node, String graph, List<Tensor> inputs, List<Weight> stored,
                         List<NodeResult> producers, List<Tensor> outputs, OpResult result, Count runs, Status status) {

    public enum Status {
        /** A rule ran. */
        EVALUATED,
        /** No rule for the op type: outputs only as declared in the file, cost unknown. */
        NO_RULE,
        /** On or behind a cycle: never evaluated. */
        CYCLE,
        /** In a subgraph not evaluated because the evaluation budget ran out (pathological nesting). */
        SKIPPED
    }

    public NodeResult {
        inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        stored = Collections.unmodifiableList(new ArrayList<>(stored));
        producers = Collections.unmodifiableList(new ArrayList<>(producers));
        outputs = List.copyOf(outputs);
    }

    /** True when every named output has a fully known shape. */
    public boolean shapesResolved() {
        for (int i = 0; i < outputs.size(); i++) {
            if (!node.outputs().get(i).isEmpty() && !outputs.get(i).shape().isFullyKnown()) {
                return false;
            }
        }
        return true;
    }
}
