package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Node;
import java.util.Map;

/**
 * Learned values a node holds in its attributes rather than in tensors (ai.onnx.ml coefficients,
 * intercepts, support vectors, tree thresholds and leaf values): elements by dtype. The parameter
 * count adds them under {@code by_source.attribute}. The ai.onnx.ml rules fill this in; until
 * then no op holds any.
 */
public final class LearnedAttributes {

    private LearnedAttributes() {
    }

    /** The learned elements {@code node} holds in attributes, by dtype; empty when none. */
    public static Map<DType, Long> of(Node node) {
        return Map.of();
    }
}
