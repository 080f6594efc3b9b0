package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.OpContext;
import dev.modeltally.ops.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What a rule sees of one node: the node, its input tensors and the stored weights behind them
 * (an index past them is an absent input), and the opset of its domain. The evaluator's context
 * and the cost fit's point context differ only in how they run subgraphs.
 */
abstract class NodeView implements OpContext {

    final Node node;
    private final List<Tensor> inputs;
    private final List<Weight> stored;
    private final long opset;

    NodeView(Node node, List<Tensor> inputs, List<Weight> stored, long opset) {
        this.node = node;
        this.inputs = inputs;
        this.stored = stored;
        this.opset = opset;
    }

    /** The opset a node's rule runs at: its domain's (the default domain is ai.onnx), 0 when not imported. */
    static long opsetOf(Map<String, Long> opsets, Node n) {
        return opsets.getOrDefault(n.domain().isEmpty() ? "ai.onnx" : n.domain(), 0L);
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public Tensor input(int i) {
        return i >= 0 && i < inputs.size() ? inputs.get(i) : Tensor.UNKNOWN;
    }

    @Override
    public Weight storedWeight(int i) {
        return i >= 0 && i < stored.size() ? stored.get(i) : null;
    }

    @Override
    public long opset() {
        return opset;
    }
}
