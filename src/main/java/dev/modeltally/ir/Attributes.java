package dev.modeltally.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's attributes (ONNX) or configuration (Keras), as plain values: Long, Double, String,
 * Boolean, List of those, nested Map (Keras configs), or a {@link Weight} for tensor attributes.
 * Typed getters are lenient about number types and never throw for a missing key.
 */
public record Attributes(Map<String, Object> values) {

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
