package dev.modeltally.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's attributes (ONNX) or configuration (Keras), as plain values: Long, Double, String,
 * Boolean, List of those, nested Map (Keras configs), a {@link Weight} for tensor attributes, or
 * {@link Elements} for a long float list kept as its length only (learned arrays of ai.onnx.ml ops).
 * Typed getters are lenient about number types and never throw for a missing key.
 */
public record Attributes(Map<String, Object> values) {

    /** A numeric list attribute too long to keep: only how many elements it has. */
    public record Elements(long count) {
    }

    private static final Attributes EMPTY = new Attributes(Map.of());

    public Attributes {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Attributes empty() {
        return EMPTY;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public long getLong(String key, long fallback) {
        return values.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    public double getDouble(String key, double fallback) {
        return values.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    public String getString(String key, String fallback) {
        Object v = values.get(key);
        return v instanceof String s ? s : fallback;
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        return v instanceof Number n ? n.longValue() != 0 : fallback;
    }

    /** A list of integers, or empty when absent or not a list of numbers. */
    public Optional<long[]> getLongs(String key) {
        Object v = values.get(key);
        if (v instanceof List<?> list) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    return Optional.empty();
                }
                out[i] = n.longValue();
            }
            return Optional.of(out);
        }
        if (v instanceof Number n) {
            return Optional.of(new long[] {n.longValue()});
        }
        return Optional.empty();
    }

    /**
     * How many elements a list attribute has (a list, a length-only {@link Elements}, or a tensor
     * attribute's element count); 0 when absent, 1 for a single number or string.
     */
    public long length(String key) {
        Object v = values.get(key);
        if (v instanceof List<?> list) {
            return list.size();
        }
        if (v instanceof Elements e) {
            return e.count();
        }
        if (v instanceof Weight w) {
            return w.shape().elementCount().orElse(0);
        }
        return v == null ? 0 : 1;
    }

    public List<String> getStrings(String key) {
        Object v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
