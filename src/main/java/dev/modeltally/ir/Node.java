package dev.modeltally.ir;

import java.util.List;
import java.util.Objects;

/**
 * One operation (ONNX node) or one layer call (Keras). {@code inputs} name values or weights; an
 * empty string is an omitted optional input. Subgraphs are the bodies of If/Loop/Scan (or the inner
 * graph of a nested Keras model).
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                   Attributes attrs, List<Graph> subgraphs) {

    public Node {
        Objects.requireNonNull(opType, "opType");
        name = name == null ? "" : name;
        domain = domain == null ? "" : domain;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attrs = attrs == null ? Attributes.empty() : attrs;
        subgraphs = List.copyOf(subgraphs);
    }

    /** The name to show a user: the node's name, else its first output, else its op type. */
    public String displayName() {
        if (!name.isEmpty()) {
            return name;
        }
        return outputs.isEmpty() || outputs.get(0).isEmpty() ? opType : outputs.get(0);
    }

    /** True for the standard ONNX operator set (empty domain or {@code ai.onnx}). */
    public boolean isDefaultDomain() {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    /**
     * Identity semantics: two {@code Node}s are equal only when they are the same object, so analyses key
     * ordinary maps by them. A value hash would walk the subgraphs, exponential in a file's nesting,
     * and two distinct layer calls that happen to be alike must still be told apart.
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
