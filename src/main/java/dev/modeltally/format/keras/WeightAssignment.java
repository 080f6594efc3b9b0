package dev.modeltally.format.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stored variables belong to which layer. Keys are {@link KerasConfig.LayerSpec}s for layer
 * variables and {@link KerasConfig.ModelSpec}s for a model's own variables; both compare by identity
 * (two layers may be alike as records). Stored layers the config does not have are orphans.
 */
final class WeightAssignment {

    private final Map<Object, List<StoredVar>> owned = new HashMap<>();
    private final Map<String, List<StoredVar>> orphans = new LinkedHashMap<>();

    void add(Object owner, List<StoredVar> vars) {
        if (!vars.isEmpty()) {
            owned.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(vars);
        }
    }

    void add(Object owner, StoredVar v) {
        owned.computeIfAbsent(owner, k -> new ArrayList<>()).add(v);
    }

    List<StoredVar> of(Object owner) {
        return owned.getOrDefault(owner, List.of());
    }

    void orphan(String layerName, List<StoredVar> vars) {
        if (!vars.isEmpty()) {
            orphans.computeIfAbsent(layerName, k -> new ArrayList<>()).addAll(vars);
        }
    }

    Map<String, List<StoredVar>> orphans() {
        return orphans;
    }
}
