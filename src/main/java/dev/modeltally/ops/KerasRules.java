package dev.modeltally.ops;

import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of Keras layers (domain {@code keras}, attributes = the layer config), one per row of the
 * layer table whose family {@link KerasFamilies} knows; built on first use. Input layers pass their
 * tensor on; nested models run their subgraph, whose layers carry the cost. Classes without a family
 * stay without a rule (reported as such).
 */
final class KerasRules {

    private static final class Rules {
        static final Map<String, OpRule> BY_CLASS = build();
    }

    private KerasRules() {
    }

    static OpRule find(String className) {
        return Rules.BY_CLASS.get(className);
    }

    /** Every Keras rule, keyed {@code keras:Class} (for docs and tests). */
    static Map<String, OpRule> all() {
        Map<String, OpRule> m = new LinkedHashMap<>();
        Rules.BY_CLASS.forEach((k, v) -> m.put(KerasLayerTable.DOMAIN + ":" + k, v));
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, OpRule> build() {
        Map<String, OpRule> m = new LinkedHashMap<>();
        for (KerasLayer row : KerasLayerTable.rows()) {
            OpRule rule = switch (row.family()) {
                case "input" -> KerasRules::input;
                case "nested" -> KerasRules::nested;
                default -> {
                    KerasFamily f = KerasFamilies.get(row.family());
                    yield f == null ? null : new KerasLayerRule(row, f);
                }
            };
            if (rule != null) {
                m.put(row.className(), rule);
                row.aliases().forEach(a -> m.putIfAbsent(a, rule));
            }
        }
        return Map.copyOf(m);
    }

    /** An InputLayer passes the model input on. */
    static OpResult input(OpContext c) {
        List<Integer> act = KerasLayerRule.activations(c);
        Tensor t = act.isEmpty() ? Tensor.UNKNOWN : c.input(act.get(0));
        OpResult.Builder b = OpResult.builder();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            b.output(Tensor.of(KerasLayerRule.policy(c, t.dtype()), t.shape()));
        }
        return b.cost(Cost.FREE).build();
    }

    /** A nested model: its layers are evaluated (and counted) as a subgraph run once per call. */
    static OpResult nested(OpContext c) {
        if (c.node().subgraphs().isEmpty()) {
            return OpResult.unknown(c.node().outputs().size());
        }
        List<Tensor> in = new ArrayList<>();
        for (int i : KerasLayerRule.activations(c)) {
            in.add(c.input(i));
        }
        List<Tensor> out = c.runSubgraph(c.node().subgraphs().get(0), in, Count.ONE);
        OpResult.Builder b = OpResult.builder();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            b.output(i < out.size() ? out.get(i) : Tensor.UNKNOWN);
        }
        KerasLayerRule.claim(c, null, b); // the model's own variables: its layers check theirs
        return b.cost(Cost.FREE).build();
    }
}
