package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.WeightSpec;
import java.util.Collection;

/**
 * The weight cross-check of a Keras layer call: the layer's rule matched the weights its config
 * implies to the stored variables by name (input -1: none stored); a different shape, a missing
 * weight, or a stored variable no implied weight claims is a finding naming the layer and both shapes.
 * A shared layer's calls (and a nested model's repeats) give the same findings, kept once.
 */
final class LayerWeightCheck {

    private LayerWeightCheck() {
    }

    static void check(NodeResult r, Collection<Finding> out) {
        Node n = r.node();
        String layer = layerName(n.name());
        boolean[] claimed = new boolean[n.inputs().size()];
        for (WeightSpec spec : r.result().weights()) {
            if (spec.input() < 0) {
                out.add(Finding.warning("keras-weight-missing", "layer '" + layer + "' (" + n.opType() + "): "
                        + spec.role() + " " + text(spec.expected()) + " implied by the config is not stored", layer));
                continue;
            }
            claimed[spec.input()] = true;
            Weight w = r.stored().get(spec.input());
            if (w != null && !fits(spec.expected(), w.shape())) {
                out.add(Finding.error("keras-weight-shape-mismatch", "layer '" + layer + "' (" + n.opType()
                        + "): " + spec.role() + " '" + w.name() + "' is stored as " + text(w.shape())
                        + " but the config implies " + text(spec.expected()), layer));
            }
        }
        for (int i = 0; i < claimed.length; i++) {
            Weight w = r.stored().get(i);
            if (!claimed[i] && w != null) {
                out.add(Finding.warning("keras-weight-extra", "layer '" + layer + "' (" + n.opType()
                        + "): stored weight '" + w.name() + "' " + text(w.shape())
                        + " is not one its config implies", layer));
            }
        }
    }

    private static boolean fits(Shape expected, Shape stored) {
        if (!expected.rankKnown()) {
            return true;
        }
        if (!stored.rankKnown() || stored.rank() != expected.rank()) {
            return false;
        }
        for (int i = 0; i < expected.rank(); i++) {
            if (expected.dim(i) instanceof Dim.Fixed f
                    && !(stored.dim(i) instanceof Dim.Fixed s && s.value() == f.value())) {
                return false;
            }
        }
        return true;
    }

    /** A call node of a shared layer is named {@code layer:call}; findings name the layer. */
    private static String layerName(String name) {
        int colon = name.lastIndexOf(':');
        return colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? name.substring(0, colon) : name;
    }

    /** A shape for messages; an unknown dim prints as ?. */
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
