package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule application per distinct node in an evaluation: a transformer's layers repeat the same
 * nodes on the same tensors, and an ONNX rule sees no more of its node than its op, attributes,
 * opset, input tensors and which inputs and outputs are present (it never reads a node's name or a
 * stored weight's data; messages name the node where the evaluator writes them). Keras layers (their
 * rules match stored variables by name) and control-flow nodes (their bodies are evaluated per node)
 * always run their rule. Equal tensors are interned: equal ones share a number, by identity first,
 * so a node whose inputs are the very objects an earlier equal node made costs a few lookups.
 */
final class RuleMemo {

    private final Map<Key, OpResult> results = new HashMap<>();
    private final Map<Object, Integer> byIdentity = new IdentityHashMap<>();
    private final Map<Object, Integer> byValue = new HashMap<>();

    /** Whether a node's rule result may be shared with other nodes alike. */
    static boolean shareable(Node n) {
        return n.subgraphs().isEmpty() && !n.domain().startsWith("keras");
    }

    /** The key of a node on these input tensors (present inputs as evaluated, others Tensor.UNKNOWN). */
    Key key(Node n, long opset, List<Tensor> ins) {
        List<String> names = n.inputs();
        List<String> outs = n.outputs();
        int[] ids = new int[3 + 2 * ins.size() + outs.size()];
        int k = 0;
        ids[k++] = intern(n.attrs());
        ids[k++] = ins.size();
        ids[k++] = outs.size();
        for (int i = 0; i < ins.size(); i++) {
            ids[k++] = intern(ins.get(i));
            // absent, or the first input of the same name (a rule may tell x·x from x·y)
            ids[k++] = names.get(i).isEmpty() ? -1 : names.indexOf(names.get(i));
        }
        for (String o : outs) {
            ids[k++] = o.isEmpty() ? 0 : 1;
        }
        return new Key(n.domain(), n.opType(), opset, ids);
    }

    OpResult get(Key key) {
        return results.get(key);
    }

    void put(Key key, OpResult r) {
        results.put(key, r);
    }

    private int intern(Object o) {
        Integer id = byIdentity.get(o);
        if (id == null) {
            id = byValue.computeIfAbsent(o, x -> byValue.size());
            byIdentity.put(o, id);
        }
        return id;
    }

    /** Ids of interned values, compared as numbers. */
    static final class Key {
        private final String domain;
        private final String opType;
        private final long opset;
        private final int[] ids;
        private final int hash;

        Key(String domain, String opType, long opset, int[] ids) {
            this.domain = domain;
            this.opType = opType;
            this.opset = opset;
            this.ids = ids;
            this.hash = (31 * domain.hashCode() + opType.hashCode()) * 961 + Long.hashCode(opset) * 31
                    + Arrays.hashCode(ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.opset == opset && Arrays.equals(k.ids, ids)
                    && k.opType.equals(opType) && k.domain.equals(domain);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
