package dev.modeltally.analysis;

import java.util.Map;

/**
 * Stored parameters: every tensor counted once however many nodes use it.
 *
 * @param byDtype elements per dtype name (FLOAT, FLOAT16, INT8, ...)
 * @param tensors how many tensors hold them
 */
public record Parameters(long total, long trainable, long nonTrainable, long bytes, Map<String, Long> byDtype,
                         int tensors) {
    public Parameters {
        byDtype = Map.copyOf(byDtype);
    }
}
