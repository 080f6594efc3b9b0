package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule application per distinct node in an evaluation: a transformer's layers repeat the same
 * nodes on the same tensors, and an ONNX rule sees no more of its node than its op, attributes,
 * opset, input tensors and which inputs and outputs are present (it never reads a node's name or a
 * stored weight's data; messages name the node where the evaluator writes them). Keras layers (their
 * rules match stored variables by name) and control-flow nodes (their bodies are evaluated per node)
 * always run their rule. Tensors are interned ({@link Interner}): a node whose inputs are the very
 * objects an earlier equal node made costs a few lookups.
 */
final class RuleMemo {

    private final Map<Interner.Key, OpResult> results = new HashMap<>();
    private final Interner interner = new Interner(0);

    /** Whether a node's rule result may be shared with other nodes alike. */
    static boolean shareable(Node n) {
        return n.subgraphs().isEmpty() && !n.domain().startsWith("keras");
    }

    /** The key of a node on these input tensors (present inputs as evaluated, others Tensor.UNKNOWN). */
    Interner.Key key(Node n, long opset, List<Tensor> ins) {
        List<String> names = n.inputs();
        List<String> outs = n.outputs();
        int[] ids = new int[3 + 2 * ins.size() + outs.size()];
        int k = 0;
        ids[k++] = interner.id(n.attrs());
        ids[k++] = ins.size();
        ids[k++] = outs.size();
        for (int i = 0; i < ins.size(); i++) {
            ids[k++] = interner.id(ins.get(i));
            // absent, or the first input of the same name (a rule may tell x·x from x·y)
            ids[k++] = names.get(i).isEmpty() ? -1 : names.indexOf(names.get(i));
        }
        for (String o : outs) {
            ids[k++] = o.isEmpty() ? 0 : 1;
        }
        return new Interner.Key(n.domain(), n.opType(), opset, ids);
    }

    OpResult get(Interner.Key key) {
        return results.get(key);
    }

    void put(Interner.Key key, OpResult r) {
        results.put(key, r);
    }
}
