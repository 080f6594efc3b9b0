package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a model needs beyond the standard operator sets: ops from custom domains (they need a
 * runtime with those kernels registered, i.e. code not in the file) and model-local functions.
 */
final class ProvenanceCheck {

    private static final Set<String> STANDARD = Set.of("", "ai.onnx", "ai.onnx.ml", "ai.onnx.training",
            "ai.onnx.preview.training", KerasLayerTable.DOMAIN);

    private ProvenanceCheck() {
    }

    static List<Finding> of(Model model) {
        Map<String, Map<String, Integer>> byDomain = new TreeMap<>();
        collect(model.graph(), byDomain);
        List<Finding> out = new ArrayList<>();
        byDomain.forEach((domain, ops) -> {
            int nodes = ops.values().stream().mapToInt(Integer::intValue).sum();
            List<String> parts = new ArrayList<>();
            ops.forEach((op, n) -> parts.add(op + " ×" + n));
            String hint = domain.equals("com.microsoft") ? " (ONNX Runtime's contrib operators)"
                    : " (needs a runtime with these kernels registered)";
            out.add(Finding.info("custom-domain", nodes + (nodes == 1 ? " node uses" : " nodes use") + " ops from domain '"
                    + domain + "'" + hint + ": " + String.join(", ", parts), domain));
        });
        String functions = model.metadata().get("functions");
        if (functions != null && !functions.isEmpty()) {
            String[] names = functions.split(",");
            out.add(Finding.info("model-local-function", "the model defines " + names.length + " local function"
                    + (names.length == 1 ? "" : "s") + ": " + functions.replace(",", ", "), names[0]));
        }
        return out;
    }

    private static void collect(Graph g, Map<String, Map<String, Integer>> byDomain) {
        for (Node n : g.nodes()) {
            if (!STANDARD.contains(n.domain())) {
                byDomain.computeIfAbsent(n.domain(), k -> new TreeMap<>()).merge(n.opType(), 1, Integer::sum);
            }
            for (Graph sub : n.subgraphs()) {
                collect(sub, byDomain);
            }
        }
    }
}
