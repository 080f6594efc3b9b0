package dev.modeltally.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A computation graph. {@code weights} are the tensors stored with this graph (initializers,
 * Constant-node values, layer variables), by name; {@code valueInfo} are intermediate values whose
 * type the file declares.
 */
public record Graph(String name, List<Value> inputs, List<Value> outputs, List<Node> nodes,
                    Map<String, Weight> weights, List<Value> valueInfo) {

    public Graph {
        name = name == null ? "" : name;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        valueInfo = List.copyOf(valueInfo);
    }

    /**
     * Identity semantics: two {@code Graph}s are equal only when they are the same object, so analyses key
     * ordinary maps by them. A value hash would walk every node, exponential in a file's nesting,
     * and two distinct graphs (If branches) that happen to be alike must still be told apart.
     */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
