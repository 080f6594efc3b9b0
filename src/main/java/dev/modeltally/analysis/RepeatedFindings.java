package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A condition that repeats per tensor or per node is one finding with a count: the first occurrence
 * in full, the other places listed (at most {@value #SHOWN}). A zoo of stripped or odd exports would
 * otherwise print hundreds of lines that say one thing.
 */
final class RepeatedFindings {

    /** Codes that are raised once per tensor or node. */
    static final Set<String> PER_ITEM = Set.of("unused-initializer", "tensor-without-data", "weight-shape-unknown",
            "weight-from-input", "undefined-input", "declared-shape-mismatch", "shape-contradiction");
    private static final int SHOWN = 10;

    private RepeatedFindings() {
    }

    static List<Finding> collapse(List<Finding> findings) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (PER_ITEM.contains(f.code())) {
                groups.computeIfAbsent(f.code() + "\u0000" + f.severity(), k -> new ArrayList<>()).add(f);
            } else {
                out.add(f);
            }
        }
        for (List<Finding> g : groups.values()) {
            Finding first = g.get(0);
            if (g.size() == 1) {
                out.add(first);
                continue;
            }
            List<String> places = new ArrayList<>();
            for (Finding f : g.subList(1, g.size())) {
                String where = f.where() == null ? "?" : f.where();
                if (!places.contains(where)) {
                    places.add(where);
                }
            }
            String shown = String.join(", ", places.subList(0, Math.min(SHOWN, places.size())))
                    + (places.size() > SHOWN ? ", ... " + (places.size() - SHOWN) + " more" : "");
            out.add(new Finding(first.severity(), first.code(), g.size() + " times: " + first.message()
                    + "; also at " + shown, first.where()));
        }
        return out;
    }
}
