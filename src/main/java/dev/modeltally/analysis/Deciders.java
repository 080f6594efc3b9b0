package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names what decides a value at run time: the graph inputs it is computed from (walking producers
 * back from the node that reads it), or, when it comes from no input, the node that computes it.
 */
final class Deciders {

    private static final int MAX_NODES = 256;

    private Deciders() {
    }

    /**
     * @param name      the value (an If's condition, a Loop's trip count)
     * @param producer  the node result that produced it, or null when it is a graph input or stored
     * @param stored    true when the value is a stored tensor (initializer or Constant)
     */
    static String describe(String name, NodeResult producer, boolean stored) {
        if (producer == null) {
            return stored ? "the stored value '" + name + "'" : "input '" + name + "'";
        }
        Set<String> inputs = new LinkedHashSet<>();
        Map<NodeResult, Boolean> seen = new IdentityHashMap<>();
        Deque<NodeResult> todo = new ArrayDeque<>();
        todo.add(producer);
        while (!todo.isEmpty() && seen.size() < MAX_NODES) {
            NodeResult r = todo.poll();
            if (seen.put(r, Boolean.TRUE) != null) {
                continue;
            }
            Node n = r.node();
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.inputs().get(i);
                if (in.isEmpty()) {
                    continue;
                }
                NodeResult p = i < r.producers().size() ? r.producers().get(i) : null;
                if (p != null) {
                    todo.add(p);
                } else if (i >= r.stored().size() || r.stored().get(i) == null) {
                    inputs.add(in);
                }
            }
        }
        if (inputs.isEmpty()) {
            return "the value '" + name + "' computed by node '" + producer.node().displayName() + "'";
        }
        List<String> quoted = new ArrayList<>();
        inputs.forEach(i -> quoted.add("'" + i + "'"));
        return (quoted.size() == 1 ? "input " : "inputs ") + String.join(", ", quoted);
    }

    /** How to give it: "--input-value sr=V" for inputs, empty otherwise. */
    static String hint(String decidedBy, String what) {
        if (!decidedBy.startsWith("input")) {
            return "";
        }
        int a = decidedBy.indexOf('\'');
        int b = decidedBy.indexOf('\'', a + 1);
        return " (give --input-value " + decidedBy.substring(a + 1, b) + "=" + what + ")";
    }
}
