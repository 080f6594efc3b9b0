package dev.modeltally.analysis;

import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.Map;

/**
 * What the user tells the analysis about inputs.
 *
 * @param inputShapes shapes for named inputs, overriding the model's ({@code --input-shape})
 * @param batch       the size for a symbolic batch dimension, or 0 for "not given" ({@code --batch})
 * @param inputValues values for named inputs ({@code --input-value}): a scalar or a small vector, each
 *                    a Long (integers, booleans as 1/0) or a Double; they feed value propagation, so
 *                    an If on them picks its branch and a Loop's trip count is known
 * @param formula     whether to work out {@code compute.formula} when an input dim is symbolic (on
 *                    unless {@code --no-formula})
 */
public record AnalysisOptions(Map<String, Shape> inputShapes, long batch, Map<String, List<Number>> inputValues,
                              boolean formula) {

    public static final AnalysisOptions DEFAULT = new AnalysisOptions(Map.of(), 0);

    /** Most elements one --input-value may give (values are tracked for small tensors only). */
    public static final int MAX_INPUT_VALUES = 1024;

    public AnalysisOptions {
        inputShapes = Map.copyOf(inputShapes);
        java.util.Map<String, List<Number>> copy = new java.util.LinkedHashMap<>();
        if (inputValues != null) {
            inputValues.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        }
        inputValues = java.util.Collections.unmodifiableMap(copy);
    }

    public AnalysisOptions(Map<String, Shape> inputShapes, long batch, Map<String, List<Number>> inputValues) {
        this(inputShapes, batch, inputValues, true);
    }

    public AnalysisOptions(Map<String, Shape> inputShapes, long batch) {
        this(inputShapes, batch, Map.of());
    }

    public AnalysisOptions withInputValues(Map<String, List<Number>> values) {
        return new AnalysisOptions(inputShapes, batch, values, formula);
    }

    /** The same options with the formula on or off. */
    public AnalysisOptions withFormula(boolean on) {
        return new AnalysisOptions(inputShapes, batch, inputValues, on);
    }

    /**
     * Parses {@code V} or {@code V1,V2,...}: integers, decimals, true/false; null when malformed or
     * longer than {@link #MAX_INPUT_VALUES}.
     */
    public static List<Number> parseValues(String text) {
        String[] parts = text.strip().split(",", -1);
        if (parts.length > MAX_INPUT_VALUES || text.isBlank()) {
            return null;
        }
        java.util.ArrayList<Number> out = new java.util.ArrayList<>();
        for (String p : parts) {
            String s = p.strip();
            if (s.equalsIgnoreCase("true")) {
                out.add(1L);
            } else if (s.equalsIgnoreCase("false")) {
                out.add(0L);
            } else if (s.matches("[+-]?\\d{1,18}")) {
                out.add(Long.parseLong(s));
            } else {
                try {
                    double d = Double.parseDouble(s);
                    if (Double.isNaN(d) || s.matches(".*[a-zA-Z&&[^eE]].*")) {
                        return null;
                    }
                    out.add(d);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return out;
    }
}
