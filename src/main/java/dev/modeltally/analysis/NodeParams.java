package dev.modeltally.analysis;

import java.util.List;

/**
 * The parameters one node (or Keras layer) uses. A tensor shared by several nodes appears in each
 * of them here, but only once in the total.
 */
public record NodeParams(String name, String opType, long parameters, List<String> weights) {
    public NodeParams {
        weights = List.copyOf(weights);
    }
}
