package dev.modeltally.report.html;

import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the per-layer table, in model order. {@code outputShape} and {@code macs} are null
 * when the analysis did not estimate them (never 0 for "unknown").
 */
record Layer(int index, String name, String op, String outputShape, long parameters, Long macs) {

    /** The layers of a report, as the analysis records them. */
    static List<Layer> of(Report r) {
        List<Layer> layers = new ArrayList<>(r.nodes().size());
        for (NodeParams n : r.nodes()) {
            layers.add(new Layer(layers.size() + 1, n.name(), n.opType(), null, n.parameters(), null));
        }
        return layers;
    }

    static boolean anyMacs(List<Layer> layers) {
        return layers.stream().anyMatch(l -> l.macs() != null);
    }

    static boolean anyShape(List<Layer> layers) {
        return layers.stream().anyMatch(l -> l.outputShape() != null);
    }
}
