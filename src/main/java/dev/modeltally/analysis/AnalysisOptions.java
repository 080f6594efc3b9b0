package dev.modeltally.analysis;

import dev.modeltally.ir.Shape;
import java.util.Map;

/**
 * What the user tells the analysis about inputs.
 *
 * @param inputShapes shapes for named inputs, overriding the model's ({@code --input-shape})
 * @param batch       the size for a symbolic batch dimension, or 0 for "not given" ({@code --batch})
 */
public record AnalysisOptions(Map<String, Shape> inputShapes, long batch) {

    public static final AnalysisOptions DEFAULT = new AnalysisOptions(Map.of(), 0);

    public AnalysisOptions {
        inputShapes = Map.copyOf(inputShapes);
    }
}
