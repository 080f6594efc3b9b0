package dev.modeltally.analysis;

import java.util.Map;

/**
 * Stored parameters: every tensor counted once however many nodes use it.
 *
 * @param byDtype      elements per dtype name (FLOAT, FLOAT16, INT8, ...)
 * @param tensors      how many tensors hold them
 * @param bySource     where the file stores them (initializers, Constant nodes, ai.onnx.ml attributes)
 * @param quantization the scales and zero points among them (part of {@code total})
 * @param synthesized  weight inputs made at run time (ConstantOfShape, Random*): not stored, not in {@code total}
 * @param integerBiases INT32 tensors at weight inputs (quantized biases): constants, not in {@code total}
 */
public record Parameters(long total, long trainable, long nonTrainable, long bytes, Map<String, Long> byDtype,
                         int tensors, BySource bySource, Tally quantization, Tally synthesized, Tally integerBiases) {

    /** Elements by where they are stored; {@code variable} is a Keras layer variable. */
    public record BySource(long initializer, long constantNode, long attribute, long variable) {
        public static final BySource NONE = new BySource(0, 0, 0, 0);
    }

    /** A number of elements in a number of tensors; {@code atLeast} when some sizes were unknown. */
    public record Tally(long elements, int tensors, boolean atLeast) {
        public static final Tally NONE = new Tally(0, 0, false);
    }

    public Parameters {
        byDtype = Map.copyOf(byDtype);
        bySource = bySource == null ? BySource.NONE : bySource;
        quantization = quantization == null ? Tally.NONE : quantization;
        synthesized = synthesized == null ? Tally.NONE : synthesized;
        integerBiases = integerBiases == null ? Tally.NONE : integerBiases;
    }

    public Parameters(long total, long trainable, long nonTrainable, long bytes, Map<String, Long> byDtype,
                      int tensors) {
        this(total, trainable, nonTrainable, bytes, byDtype, tensors, null, null, null, null);
    }
}
