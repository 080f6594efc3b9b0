package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Weight;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learned values ai.onnx.ml ops hold in attributes (coefficients, intercepts, support vectors,
 * tree thresholds and leaf values, scaler offsets): which attributes they are, and how many elements
 * each holds, counted from the list lengths (never from the values). Also the tree depths the tree
 * ensemble cost convention needs.
 */
public final class MlAttributes {

    public static final String DOMAIN = "ai.onnx.ml";

    /** One learned attribute array: its name, element type and element count. */
    public record Learned(String attribute, DType dtype, long elements) {
    }

    private static final Map<String, List<String>> LEARNED = Map.ofEntries(
            Map.entry("LinearClassifier", List.of("coefficients", "intercepts")),
            Map.entry("LinearRegressor", List.of("coefficients", "intercepts")),
            Map.entry("SVMClassifier", List.of("support_vectors", "coefficients", "rho", "prob_a", "prob_b")),
            Map.entry("SVMRegressor", List.of("support_vectors", "coefficients", "rho")),
            Map.entry("TreeEnsembleClassifier", List.of("nodes_values", "nodes_values_as_tensor", "class_weights",
                    "class_weights_as_tensor", "base_values", "base_values_as_tensor")),
            Map.entry("TreeEnsembleRegressor", List.of("nodes_values", "nodes_values_as_tensor", "target_weights",
                    "target_weights_as_tensor", "base_values", "base_values_as_tensor")),
            Map.entry("TreeEnsemble", List.of("nodes_splits", "leaf_weights", "membership_values")),
            Map.entry("Scaler", List.of("offset", "scale")),
            Map.entry("Imputer", List.of("imputed_value_floats")));

    private MlAttributes() {
    }

    /** The learned attribute arrays of an ai.onnx.ml node (empty for other nodes). */
    public static List<Learned> learned(Node n) {
        if (!DOMAIN.equals(n.domain())) {
            return List.of();
        }
        List<Learned> out = new ArrayList<>();
        for (String a : LEARNED.getOrDefault(n.opType(), List.of())) {
            long count = n.attrs().length(a);
            if (count > 0) {
                Object v = n.attrs().values().get(a);
                out.add(new Learned(a, v instanceof Weight w ? w.dtype() : DType.FLOAT, count));
            }
        }
        return out;
    }

    /** Total learned elements a node holds in attributes. */
    public static long elements(Node n) {
        long total = 0;
        for (Learned l : learned(n)) {
            total = Count.saturatingAdd(total, l.elements());
        }
        return total;
    }

    /**
     * Per tree, its depth (decision nodes on the longest root-to-leaf path), for the classic
     * TreeEnsembleClassifier/Regressor layout ({@code nodes_treeids}, {@code nodes_nodeids},
     * {@code nodes_modes}, {@code nodes_truenodeids}, {@code nodes_falsenodeids}); null when the
     * arrays are absent, inconsistent or too long to have been kept.
     */
    static long[] classicTreeDepths(Attributes a) {
        long[] tree = a.getLongs("nodes_treeids").orElse(null);
        long[] id = a.getLongs("nodes_nodeids").orElse(null);
        long[] yes = a.getLongs("nodes_truenodeids").orElse(null);
        long[] no = a.getLongs("nodes_falsenodeids").orElse(null);
        List<String> modes = a.getStrings("nodes_modes");
        if (tree == null || id == null || yes == null || no == null || modes.size() != tree.length
                || id.length != tree.length || yes.length != tree.length || no.length != tree.length) {
            return null;
        }
        Map<Long, Map<Long, Integer>> index = new LinkedHashMap<>();
        for (int i = 0; i < tree.length; i++) {
            index.computeIfAbsent(tree[i], k -> new HashMap<>()).put(id[i], i);
        }
        long[] depths = new long[index.size()];
        int t = 0;
        for (Map.Entry<Long, Map<Long, Integer>> e : index.entrySet()) {
            Map<Long, Integer> nodes = e.getValue();
            java.util.Set<Long> children = new java.util.HashSet<>();
            for (int i : nodes.values()) {
                if (!modes.get(i).equals("LEAF")) {
                    children.add(yes[i]);
                    children.add(no[i]);
                }
            }
            long depth = 0;
            for (Map.Entry<Long, Integer> root : nodes.entrySet()) {
                if (!children.contains(root.getKey())) {
                    depth = Math.max(depth, depth(root.getValue(), i -> modes.get(i).equals("LEAF") ? null
                            : new Integer[] {nodes.get(yes[i]), nodes.get(no[i])}, tree.length));
                }
            }
            depths[t++] = depth;
        }
        return depths;
    }

    /**
     * Per tree, its depth for TreeEnsemble (ai.onnx.ml 5): roots in {@code tree_roots}, children in
     * {@code nodes_truenodeids}/{@code nodes_falsenodeids}, which name a leaf where
     * {@code nodes_trueleafs}/{@code nodes_falseleafs} say so.
     */
    static long[] treeEnsembleDepths(Attributes a) {
        long[] roots = a.getLongs("tree_roots").orElse(null);
        long[] yes = a.getLongs("nodes_truenodeids").orElse(null);
        long[] no = a.getLongs("nodes_falsenodeids").orElse(null);
        long[] yesLeaf = a.getLongs("nodes_trueleafs").orElse(null);
        long[] noLeaf = a.getLongs("nodes_falseleafs").orElse(null);
        if (roots == null || yes == null || no == null || yesLeaf == null || noLeaf == null
                || no.length != yes.length || yesLeaf.length != yes.length || noLeaf.length != yes.length) {
            return null;
        }
        int n = yes.length;
        long[] depths = new long[roots.length];
        for (int t = 0; t < roots.length; t++) {
            if (roots[t] < 0 || roots[t] >= n) {
                return null;
            }
            depths[t] = depth((int) roots[t], i -> new Integer[] {
                yesLeaf[i] != 0 || yes[i] < 0 || yes[i] >= n ? null : (int) yes[i],
                noLeaf[i] != 0 || no[i] < 0 || no[i] >= n ? null : (int) no[i]}, n);
        }
        return depths;
    }

    /** Longest path of decision nodes from {@code root}; children null for a leaf. Bounded by {@code n} levels. */
    private static long depth(int root, java.util.function.IntFunction<Integer[]> children, int n) {
        long best = 0;
        Deque<long[]> stack = new ArrayDeque<>();
        stack.push(new long[] {root, 0});
        long visits = 0;
        while (!stack.isEmpty()) {
            long[] top = stack.pop();
            if (++visits > 4L * n + 4) {
                return best; // a malformed (cyclic) tree: stop rather than loop
            }
            Integer[] kids = children.apply((int) top[0]);
            if (kids == null) {
                best = Math.max(best, top[1]);
                continue;
            }
            best = Math.max(best, top[1] + 1);
            for (Integer k : kids) {
                if (k != null && top[1] + 1 < n) {
                    stack.push(new long[] {k, top[1] + 1});
                }
            }
        }
        return best;
    }
}
