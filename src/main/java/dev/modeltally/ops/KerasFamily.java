package dev.modeltally.ops;

import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.Map;

/**
 * The rule of one family of Keras layers (convolutions, recurrent layers, attention, ...), as
 * dimension equations: output shapes from input shapes and config, the input sizes the table's weight
 * shapes refer to, and the cost. A family serves every table row that names it; what it cannot
 * decide it leaves unknown.
 */
interface KerasFamily {

    /** Output shapes of the call, unknown-rank where undecided. */
    List<Shape> outputs(KerasCall c);

    /** MACs and other FLOPs, batch included, given the outputs. */
    Cost cost(KerasCall c, List<Shape> out);

    /**
     * Input-derived sizes that weight shapes name (in, cin, q, ...); tuples (K, AXIS, ...) under their
     * name with the trailing "...".
     */
    default void sizes(KerasCall c, Map<String, long[]> sizes) {
        sizes.put("in", new long[] {KerasCall.size(c.x(), -1)});
    }

    /** Weights beyond the row's own (a wrapper's inner layer), with their parts. */
    default List<KerasExpect> innerWeights(KerasCall c) {
        return List.of();
    }
}
