package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.WeightSpec;
import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-checks what the graph implies against what the file stores: weight shapes, weights made
 * at run time, and BatchNormalization folded into convolutions by the exporter.
 */
public final class CrossCheck {

    private CrossCheck() {
    }

    public static List<Finding> of(Model model, ShapeInference.Result shapes) {
        List<Finding> out = new ArrayList<>();
        Set<String> graphInputs = new HashSet<>();
        for (Value v : model.graph().inputs()) {
            if (!model.graph().weights().containsKey(v.name())) {
                graphInputs.add(v.name());
            }
        }
        Set<Finding> layers = new LinkedHashSet<>();
        for (NodeResult r : shapes.nodes()) {
            if (r.result() == null) {
                continue;
            }
            if (KerasLayerTable.DOMAIN.equals(r.node().domain())) {
                LayerWeightCheck.check(r, layers); // Keras variables are matched by name, not position
                continue;
            }
            for (WeightSpec spec : r.result().weights()) {
                check(r, spec, graphInputs, out);
            }
        }
        out.addAll(layers);
        batchNormFolded(model, shapes, out);
        return out;
    }

    private static void check(NodeResult r, WeightSpec spec, Set<String> graphInputs, List<Finding> out) {
        int i = spec.input();
        Node n = r.node();
        if (i < 0 || i >= n.inputs().size() || n.inputs().get(i).isEmpty()) {
            return;
        }
        String what = OpRegistry.key(n.domain(), n.opType()) + " '" + n.displayName() + "' " + spec.role();
        Weight w = r.stored().get(i);
        if (w != null && !(w.storage() instanceof Storage.Synthesized)) {
            if (mismatch(spec.expected(), w.shape())) {
                out.add(Finding.error("weight-shape-mismatch", what + " '" + w.name() + "' is stored as " + w.shape()
                        + " but the node's inputs and attributes imply " + spec.expected(), n.displayName()));
            }
            return;
        }
        if (r.producers().get(i) == null && r.graph().isEmpty() && graphInputs.contains(n.inputs().get(i))) {
            Count elements = r.inputs().get(i).elements();
            String count = elements.known() ? String.format(Locale.ROOT, "%,d elements", elements.value())
                    : "an unknown number of elements";
            out.add(Finding.info("weight-from-input", what + " is the graph input '" + n.inputs().get(i)
                    + "' (" + count + "): supplied at run time, not stored in the file", n.displayName()));
        }
    }

    private static boolean mismatch(Shape expected, Shape stored) {
        if (!expected.rankKnown() || !stored.rankKnown()) {
            return false;
        }
        if (expected.rank() != stored.rank()) {
            return true;
        }
        for (int k = 0; k < expected.rank(); k++) {
            Dim e = expected.dim(k);
            Dim s = stored.dim(k);
            if (e instanceof Dim.Fixed ef && s instanceof Dim.Fixed sf && ef.value() != sf.value()) {
                return true;
            }
        }
        return false;
    }

    /**
     * torch.onnx folds an eval-mode BatchNormalization into the convolution before it and names the
     * fused tensors {@code onnx::Conv_N}, where it otherwise keeps the module's names
     * ({@code layer1.0.conv1.weight}). Such names on Conv weights, no BatchNormalization anywhere and
     * a pytorch producer are the evidence; the finding says what the framework would count.
     */
    private static void batchNormFolded(Model model, ShapeInference.Result shapes, List<Finding> out) {
        if (model.producer() == null || !model.producer().toLowerCase(Locale.ROOT).startsWith("pytorch")) {
            return;
        }
        int convs = 0;
        int fused = 0;
        long channels = 0;
        String first = null;
        for (NodeResult r : shapes.nodes()) {
            Node n = r.node();
            if (n.opType().equals("BatchNormalization")) {
                return;
            }
            if (!n.opType().equals("Conv") || !n.isDefaultDomain()) {
                continue;
            }
            convs++;
            Weight w = r.stored().size() > 1 ? r.stored().get(1) : null;
            Weight b = r.stored().size() > 2 ? r.stored().get(2) : null;
            if (w != null && b != null && generated(w.name()) && generated(b.name()) && w.shape().rankKnown()
                    && w.shape().rank() > 0 && w.shape().dim(0) instanceof Dim.Fixed c) {
                fused++;
                channels += c.value();
                first = first == null ? n.displayName() : first;
            }
        }
        if (fused == 0 || !hasModuleNames(model.graph())) {
            return;
        }
        out.add(Finding.info("batchnorm-folded", String.format(Locale.ROOT, "%d of %d Conv nodes read "
                + "exporter-generated weights and biases (onnx::Conv_*) and the graph has no BatchNormalization: "
                + "torch.onnx folded a BatchNormalization into each of them. If those convolutions had no bias of "
                + "their own, the torch model counts %,d more parameters (BN scale and shift, 2 per channel, minus the "
                + "folded bias) and %,d running-statistics buffer elements that the file does not store", fused,
                convs, channels, 2 * channels), first));
    }

    private static boolean generated(String name) {
        return name.startsWith("onnx::Conv_");
    }

    /** Some parameter keeps a module-path name (fc.weight): the exporter names what it did not fuse. */
    private static boolean hasModuleNames(Graph g) {
        for (Weight w : g.weights().values()) {
            if (!w.name().startsWith("onnx::") && w.name().contains(".") && ParameterCount.isParameter(w)) {
                return true;
            }
        }
        return false;
    }
}
