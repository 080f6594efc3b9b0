package dev.modeltally.ir;

import java.util.List;
import java.util.Map;

/**
 * One variable a Keras layer's build() makes (a column of the {@link KerasLayerTable}).
 *
 * @param roles      its names, the current first (Keras 2 used others for some: depthwise_kernel)
 * @param part       the sublayer holding it (query, key, value, output), or null for the layer's own
 * @param conditions attributes that must hold for it to exist ({@code use_bias}, {@code !reset_after},
 *                   {@code score_mode=concat}); all must hold
 * @param trainable  false for state Keras never trains (moving statistics, adapt state)
 * @param alias      the same variable as one of a sublayer's: saved twice, counted once
 * @param dims       its shape as expressions of the config and the input sizes (see keras-layers.txt)
 */
public record KerasWeight(List<String> roles, String part, List<String> conditions, boolean trainable, boolean alias,
                          List<String> dims) {

    public KerasWeight {
        roles = List.copyOf(roles);
        conditions = List.copyOf(conditions);
        dims = List.copyOf(dims);
    }

    public String role() {
        return roles.get(0);
    }

    /** True when the layer's config (with its class's defaults) makes this variable. */
    public boolean present(KerasLayer layer, Map<String, ?> config) {
        for (String c : conditions) {
            boolean negate = c.startsWith("!");
            String key = negate ? c.substring(1) : c;
            int eq = key.indexOf('=');
            boolean holds;
            if (eq > 0) {
                holds = String.valueOf(layer.attr(config, key.substring(0, eq))).equals(key.substring(eq + 1));
            } else {
                Object v = layer.attr(config, key);
                holds = v instanceof Boolean b ? b : v instanceof String s ? !s.isEmpty() && !s.equals("None")
                        : v instanceof List<?> l ? !l.isEmpty() : v != null;
            }
            if (holds == negate) {
                return false;
            }
        }
        return true;
    }
}
