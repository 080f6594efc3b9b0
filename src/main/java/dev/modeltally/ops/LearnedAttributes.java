package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Node;
import java.util.Map;

/**
 * Learned values a node holds in its attributes rather than in tensors (ai.onnx.ml coefficients,
 * intercepts, support vectors, tree thresholds and leaf values): elements by dtype. The parameter
 * count adds them under {@code by_source.attribute}. The arrays each ai.onnx.ml op keeps its
 * learned values in are listed in {@link MlAttributes}.
 */
public final class LearnedAttributes {

    private LearnedAttributes() {
    }

    /** The learned elements {@code node} holds in attributes, by dtype; empty when none. */
    public static Map<DType, Long> of(Node node) {
        Map<DType, Long> out = new java.util.EnumMap<>(DType.class);
        for (MlAttributes.Learned l : MlAttributes.learned(node)) {
            out.merge(l.dtype(), l.elements(), Count::add);
        }
        return out;
    }

    /** How many learned attribute arrays {@code node} holds (each counts as one parameter tensor). */
    public static int arrays(Node node) {
        return MlAttributes.learned(node).size();
    }
}
