package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-checks each built-in Keras layer's stored weights against the shapes its config implies
 * (see {@link KerasWeightRules}): a different shape, a weight the config implies but the file lacks,
 * or a stored weight the config does not explain is a finding naming the layer and both shapes.
 * Layers of classes without a rule are not checked (custom classes are reported by the reader).
 */
public final class KerasWeightCheck {

    private final Map<String, Weight> weights;
    private final List<Finding> findings = new ArrayList<>();
    private final Set<Object> checked = Collections.newSetFromMap(new IdentityHashMap<>());

    private KerasWeightCheck(Map<String, Weight> weights) {
        this.weights = weights;
    }

    public static List<Finding> check(Model model) {
        if (!model.hasGraph() || !KerasShapes.isKeras(model.graph())) {
            return List.of();
        }
        KerasWeightCheck c = new KerasWeightCheck(model.graph().weights());
        KerasShapes.visit(model.graph(), c::node);
        return c.findings;
    }

    private void node(Node n, List<Value> in, Set<String> weightNames) {
        if (!KerasShapes.DOMAIN.equals(n.domain()) || !n.subgraphs().isEmpty()) {
            return;
        }
        List<Weight> stored = new ArrayList<>();
        for (String name : n.inputs()) {
            Weight w = weights.get(name);
            if (w != null) {
                stored.add(w);
            }
        }
        // A shared layer's calls use the same weights (and nested models repeat their nodes): check once.
        if (!checked.add(stored.isEmpty() ? n : stored.get(0))) {
            return;
        }
        List<KerasWeightRules.Expect> expected = KerasWeightRules.expected(n.opType(), n.attrs(), shapes(in));
        if (expected == null) {
            return;
        }
        String layer = layerName(n);
        boolean[] used = new boolean[stored.size()];
        for (KerasWeightRules.Expect e : expected) {
            int match = -1;
            for (int i = 0; i < stored.size() && match < 0; i++) {
                if (!used[i] && e.matches(stored.get(i).name(), layer)) {
                    match = i;
                }
            }
            if (match < 0) {
                findings.add(Finding.warning("keras-weight-missing", "layer '" + layer + "' (" + n.opType() + "): "
                        + e.label() + " " + text(e.shape()) + " implied by the config is not stored", layer));
                continue;
            }
            used[match] = true;
            Weight w = stored.get(match);
            if (!e.fits(w.shape())) {
                findings.add(Finding.error("keras-weight-shape-mismatch", "layer '" + layer + "' (" + n.opType()
                        + "): " + e.label() + " '" + w.name() + "' is stored as " + text(w.shape())
                        + " but the config implies " + text(e.shape()), layer));
            }
        }
        for (int i = 0; i < stored.size(); i++) {
            if (!used[i]) {
                Weight w = stored.get(i);
                findings.add(Finding.warning("keras-weight-extra", "layer '" + layer + "' (" + n.opType()
                        + "): stored weight '" + w.name() + "' " + text(w.shape())
                        + " is not one its config implies", layer));
            }
        }
    }

    /** A call node of a shared layer is named {@code layer:call}; findings name the layer. */
    private static String layerName(Node n) {
        String name = n.name();
        int colon = name.lastIndexOf(':');
        return colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? name.substring(0, colon) : name;
    }

    private static List<Shape> shapes(List<Value> in) {
        List<Shape> out = new ArrayList<>(in.size());
        for (Value v : in) {
            out.add(v.shape());
        }
        return out;
    }

    /** A shape for messages; -1 (not implied by the config) prints as ?. */
    private static String text(Shape s) {
        if (!s.rankKnown()) {
            return s.toString();
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.rank(); i++) {
            b.append(i > 0 ? ", " : "").append(s.dim(i) instanceof Dim.Fixed f ? Long.toString(f.value()) : "?");
        }
        return b.append(s.rank() == 1 ? ",)" : ")").toString();
    }
}
