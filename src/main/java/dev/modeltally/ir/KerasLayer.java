package dev.modeltally.ir;

import java.util.List;
import java.util.Map;

/**
 * One row of the Keras layer table ({@link KerasLayerTable}): what a built-in Keras class is.
 *
 * @param className the class name Keras 3 writes
 * @param aliases   other names of the same class (Keras 2 / tf.keras names, short forms)
 * @param family    the rule family that computes its shape, weights and cost; "-" when it has no rule
 * @param defaults  attribute values when the config omits them (a value may name another attribute)
 * @param weights   the variables its build() makes, in build order
 * @param params    the family's constants for this class (gates=4, per=3, cell=LSTMCell)
 */
public record KerasLayer(String className, List<String> aliases, String family, Map<String, String> defaults,
                         List<KerasWeight> weights, Map<String, String> params) {

    public static final String NO_RULE = "-";

    public KerasLayer {
        aliases = List.copyOf(aliases);
        defaults = Map.copyOf(defaults);
        weights = List.copyOf(weights);
        params = Map.copyOf(params);
    }

    public boolean hasRule() {
        return !family.equals(NO_RULE);
    }

    /** A family constant as a number, or {@code fallback}. */
    public long param(String key, long fallback) {
        String v = params.get(key);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** An attribute of a layer config, or this class's default for it (resolving defaults that name another key). */
    public Object attr(Map<String, ?> config, String key) {
        Object v = config.get(key);
        for (int hops = 0; v == null && hops < 4 && defaults.containsKey(key); hops++) {
            String d = defaults.get(key);
            if (defaults.containsKey(d) || config.containsKey(d)) {
                key = d;
                v = config.get(d);
                continue;
            }
            return literal(d);
        }
        return v;
    }

    private static Object literal(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        try {
            return Long.valueOf(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /** The variables of a layer with this config, in the order Keras saves them (sublayers' excluded). */
    public List<KerasWeight> ownWeights(Map<String, ?> config) {
        return weights.stream().filter(w -> w.part() == null && w.present(this, config)).toList();
    }

    /**
     * The variables Keras saves for a layer of this class, in order. With no config at all (a sublayer
     * or a weights-only file), a variable whose condition names an attribute without a default is
     * taken as present: the file stores it or stores fewer variables.
     */
    public List<KerasWeight> savedWeights(Map<String, ?> config) {
        if (!config.isEmpty()) {
            return ownWeights(config);
        }
        List<KerasWeight> out = new java.util.ArrayList<>();
        for (KerasWeight w : weights) {
            boolean undecided = w.conditions().stream().anyMatch(c -> !defaults.containsKey(bareKey(c)));
            if (w.part() == null && (undecided || w.present(this, config))
                    && out.stream().noneMatch(o -> o.role().equals(w.role()))) {
                out.add(w);
            }
        }
        return out;
    }

    private static String bareKey(String condition) {
        String k = condition.startsWith("!") ? condition.substring(1) : condition;
        int eq = k.indexOf('=');
        return eq > 0 ? k.substring(0, eq) : k;
    }

    /** The variable of this class with this role (its current or an older name), or null. */
    public KerasWeight weight(String role) {
        for (KerasWeight w : weights) {
            if (w.roles().contains(role)) {
                return w;
            }
        }
        return null;
    }
}
