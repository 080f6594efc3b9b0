package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.WeightSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tensors the graph consumes as weights, wherever they are stored, from what shape inference
 * saw: the weight inputs the op rules declare ({@link WeightSpec}), plus the operands whose role
 * depends on what feeds them (a constant operand of an elementwise op, a PRelu slope, a Gather table).
 * Each weight input is traced back through ops that only re-view data (Identity, Reshape, Unsqueeze,
 * Squeeze, Cast, Transpose, Flatten, Slice, Split, Expand, a Concat of constants, and DequantizeLinear of a QDQ model) to a stored tensor (initializer or Constant node) or to
 * an op that makes it at run time (ConstantOfShape, Random*, ...). Exporters other than torch.onnx
 * (paddle2onnx, spox) keep every weight in Constant nodes; "light" zoo models make them at run time.
 */
public final class WeightInputs {

    /** Ops that only re-view or copy their first input. */
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Cast", "CastLike", "Reshape", "Unsqueeze",
            "Squeeze", "Transpose", "Flatten", "DequantizeLinear", "Slice", "Split");
    /** Ops that join their inputs: a weight when every input is stored or made (gates reordered by spox's LSTM). */
    private static final Set<String> JOINERS = Set.of("Concat");
    /** Ops whose output is made at run time whatever their input's values (a shape, a seed). */
    private static final Set<String> MAKERS = Set.of("ConstantOfShape", "RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "EyeLike");
    /** Ops that replicate a seed: a stored tensor of more than one element passes through, a scalar is made. */
    private static final Set<String> REPLICATORS = Set.of("Expand", "Tile");
    /** Elementwise ops whose constant operand with more than one element is a weight (bias, per-channel scale). */
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div");
    private static final int MAX_HOPS = 32;
    private static final int NAMES_SHOWN = 10;

    /** What feeds a weight input: a stored tensor, or the node that makes it at run time. */
    private record Origin(Weight stored, NodeResult maker) {
    }

    /**
     * @param weights      stored tensors (by identity) consumed as a weight somewhere
     * @param statistics   stored tensors used as BatchNormalization running mean / variance
     * @param quantization stored tensors used as quantization scales or zero points
     * @param integerWeights stored INT32 tensors at weight inputs (quantized biases): constants, not parameters
     * @param synthesized  weight inputs made at run time
     * @param findings     one {@code synthesized-weight} finding when there are any
     */
    public record Result(Set<Weight> weights, Set<Weight> statistics, Set<Weight> quantization,
                         Set<Weight> integerWeights, Synthesized synthesized, List<Finding> findings) {

        /** Nothing known (no graph, or shape inference failed): only initializers count. */
        public static Result none() {
            return new Result(Set.of(), Set.of(), Set.of(), Set.of(), new Synthesized(0, 0, false), List.of());
        }
    }

    /**
     * Weight inputs made at run time. {@code elements} is a lower bound when {@code unknown}
     * (some shape was not resolved).
     */
    public record Synthesized(long elements, int tensors, boolean unknown) {
    }

    private final Set<Weight> weights = identitySet();
    private final Set<Weight> statistics = identitySet();
    private final Set<Weight> quantization = identitySet();
    private final Set<Weight> integerWeights = identitySet();
    private final Set<Weight> trainableUses = identitySet();
    private final Set<String> synthesizedSeen = new HashSet<>();
    private final List<String> synthesizedWhere = new ArrayList<>();
    private String firstSynthesizedNode;
    private final Map<String, Integer> makers = new TreeMap<>();
    private long synthesizedElements;
    private boolean synthesizedUnknown;

    private WeightInputs() {
    }

    public static Result of(ShapeInference.Result shapes) {
        WeightInputs w = new WeightInputs();
        for (NodeResult r : shapes.nodes()) {
            w.visit(r);
        }
        return w.result();
    }

    private static Set<Weight> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private void visit(NodeResult r) {
        if (r.result() == null || r.inputs().size() != r.node().inputs().size()) {
            return;
        }
        Node n = r.node();
        boolean standard = n.isDefaultDomain() || n.domain().equals("com.microsoft");
        for (WeightSpec spec : r.result().weights()) {
            if (spec.input() < 0 || spec.input() >= n.inputs().size()) {
                continue; // a Keras weight the file does not store, or an omitted optional input
            }
            if (standard && neutralAffine(r, spec.input())) {
                continue;
            }
            weightInput(r, spec.input(), spec.role());
            Origin o = spec.input() < n.inputs().size() ? origin(r, spec.input()) : null;
            if (o == null || o.stored() == null) {
                continue;
            }
            if (standard && n.opType().equals("BatchNormalization") && (spec.input() == 3 || spec.input() == 4)) {
                statistics.add(o.stored());
            } else {
                trainableUses.add(o.stored()); // torch.onnx dedupes a zero running mean into the zero bias
            }
        }
        if (!standard) {
            return;
        }
        String op = n.opType();
        if (ELEMENTWISE.contains(op) && n.inputs().size() == 2) {
            for (int i = 0; i < 2; i++) {
                Origin o = origin(r, i);
                if (o != null && !isConstantOperand(r, 1 - i) && r.inputs().get(1 - i).values() == null
                        && moreThanOne(o, r.inputs().get(i).elements()) && !identityFill(r, i, o)) {
                    weightInput(r, i, "operand");
                }
            }
        } else if (op.equals("PRelu") && n.inputs().size() == 2) {
            weightInput(r, 1, "slope");
        } else if (op.equals("Gather") && n.inputs().size() == 2 && r.inputs().get(0).dtype().isWeightType()
                && r.inputs().get(0).rank() == 2 && !isConstantOperand(r, 1)) {
            weightInput(r, 0, "embedding table");
        } else if (op.equals("MatMul") && n.inputs().size() == 2 && !isConstantOperand(r, 1)) {
            weightInput(r, 0, "weight"); // W·x: the constant operand comes first
        }
        if (op.equals("Mul") && n.inputs().size() == 2) {
            for (int i = 0; i < 2; i++) {
                NodeResult p = r.producers().get(1 - i);
                if (p != null && p.node().opType().equals("DynamicQuantizeLinear")
                        && p.node().outputs().indexOf(n.inputs().get(1 - i)) == 1) {
                    // dynamic quantization multiplies the weight's scale into the activation's scale
                    Origin o = origin(r, i);
                    if (o != null && o.stored() != null) {
                        quantization.add(o.stored());
                    }
                }
            }
        }
        for (int i : QuantizationInputs.of(n)) {
            Origin o = i < n.inputs().size() ? origin(r, i) : null;
            if (o != null && o.stored() != null) {
                quantization.add(o.stored());
                weights.add(o.stored());
            }
        }
    }

    /**
     * The scale of ones or the bias of zeros a torch.onnx GroupNormalization decomposition gives its
     * InstanceNormalization as Constant nodes (the learned affine follows as Mul/Add): an identity,
     * not a learned tensor. Known only for tensors small enough that their values are read.
     */
    private static boolean neutralAffine(NodeResult r, int i) {
        String op = r.node().opType();
        if (!(op.equals("InstanceNormalization") || op.equals("GroupNormalization")
                || op.equals("LayerNormalization")) || i < 1 || i > 2) {
            return false;
        }
        Origin o = i < r.node().inputs().size() ? origin(r, i) : null;
        if (o == null || o.stored() == null || o.stored().role() != Weight.Role.CONSTANT_NODE
                || o.stored().floatValues() == null || o.stored().floatValues().isEmpty()) {
            return false;
        }
        double neutral = i == 1 ? 1.0 : 0.0;
        return o.stored().floatValues().stream().allMatch(v -> v == neutral);
    }

    /**
     * An operand made by ConstantOfShape filled with the op's identity (x + 0, x − 0, x · 1, x / 1)
     * changes nothing, so it is no weight: T5's cross-attention position bias is {@code torch.zeros}.
     */
    private static boolean identityFill(NodeResult r, int i, Origin o) {
        if (o.maker() == null || !o.maker().node().opType().equals("ConstantOfShape")) {
            return false;
        }
        String op = r.node().opType();
        if (i == 0 && (op.equals("Sub") || op.equals("Div"))) {
            return false; // 0 − x and 1 / x are not x
        }
        double identity = op.equals("Add") || op.equals("Sub") ? 0.0 : 1.0;
        Object v = o.maker().node().attrs().get("value").orElse(null);
        if (v == null) {
            return identity == 0.0; // ONNX's default fill is a float 0
        }
        if (!(v instanceof Weight w)) {
            return false;
        }
        if (w.floatValues() != null && w.floatValues().size() == 1) {
            return w.floatValues().get(0) == identity;
        }
        return w.intValues() != null && w.intValues().size() == 1 && w.intValues().get(0) == identity;
    }

    /** More than one element: the stored tensor's own count, else what shape inference saw (unknown: maybe). */
    private static boolean moreThanOne(Origin o, Count seen) {
        if (o.stored() != null) {
            try {
                return o.stored().shape().elementCount().orElse(-1) > 1;
            } catch (dev.modeltally.ir.ElementCountOverflowException e) {
                return false;
            }
        }
        return !seen.known() || seen.value() > 1;
    }

    /** A stored or run-time-made tensor feeds input {@code i} (not an activation). */
    private static boolean isConstantOperand(NodeResult r, int i) {
        return origin(r, i) != null;
    }

    private void weightInput(NodeResult r, int i, String role) {
        Node n = r.node();
        if (i < 0 || i >= n.inputs().size() || n.inputs().get(i).isEmpty()) {
            return;
        }
        Origin o = origin(r, i);
        if (o == null) {
            return;
        }
        if (o.stored() != null && !(o.stored().storage() instanceof Storage.Synthesized)) {
            weights.add(o.stored());
            joined(r, i, 0);
            if (o.stored().dtype() == dev.modeltally.ir.DType.INT32) {
                integerWeights.add(o.stored());
            }
            return;
        }
        String by = o.maker() != null ? o.maker().node().opType()
                : ((Storage.Synthesized) o.stored().storage()).byOp();
        if (!synthesizedSeen.add(r.graph() + "\u0000" + n.inputs().get(i))) {
            return;
        }
        Count e = r.inputs().get(i).elements();
        synthesizedUnknown |= !e.known();
        synthesizedElements = Count.saturatingAdd(synthesizedElements, e.orElse(0));
        makers.merge(by, 1, Integer::sum);
        if (firstSynthesizedNode == null) {
            firstSynthesizedNode = n.displayName();
        }
        String tensor = o.maker() != null && !o.maker().node().outputs().isEmpty()
                ? o.maker().node().outputs().get(0) : n.inputs().get(i); // the made tensor, not a re-view of it
        synthesizedWhere.add(n.displayName() + " " + role + " '" + tensor + "'");
    }

    /** The stored tensor or run-time maker behind input {@code i}, through re-viewing ops; null for an activation. */
    private static Origin origin(NodeResult r, int i) {
        for (int hops = 0; r != null && hops < MAX_HOPS; hops++) {
            if (i >= r.stored().size()) {
                return null;
            }
            Weight w = r.stored().get(i);
            if (w != null) {
                return new Origin(w, null);
            }
            NodeResult p = r.producers().get(i);
            if (p == null || !(p.node().isDefaultDomain())) {
                return null;
            }
            String op = p.node().opType();
            if (MAKERS.contains(op)) {
                return new Origin(null, p);
            }
            if (REPLICATORS.contains(op)) {
                Origin seed = p.node().inputs().isEmpty() ? null : origin(p, 0);
                if (seed == null) {
                    return null; // an activation expanded: still an activation
                }
                boolean bigSeed = seed.stored() != null && p.inputs().get(0).elements().orElse(0) > 1;
                return op.equals("Expand") && bigSeed ? seed : (seed.maker() != null ? seed : new Origin(null, p));
            }
            if (JOINERS.contains(op)) {
                return joinedOrigin(p);
            }
            if (!PASS_THROUGH.contains(op) || p.node().inputs().isEmpty()) {
                return null;
            }
            r = p;
            i = 0;
        }
        return null;
    }

    /** A Concat of stored or made tensors is a weight made of them (its first input's origin); else an activation. */
    private static Origin joinedOrigin(NodeResult p) {
        Origin first = null;
        for (int j = 0; j < p.node().inputs().size(); j++) {
            Origin o = p.node().inputs().get(j).isEmpty() ? null : origin(p, j);
            if (o == null) {
                return null;
            }
            first = first == null ? o : first;
        }
        return first;
    }

    /** Every stored tensor joined by a Concat on the way back from input {@code i} counts, not only the first. */
    private void joined(NodeResult r, int i, int depth) {
        for (int hops = 0; r != null && hops < MAX_HOPS && depth < MAX_HOPS; hops++) {
            if (i >= r.stored().size() || r.stored().get(i) != null) {
                return;
            }
            NodeResult p = r.producers().get(i);
            if (p == null || !p.node().isDefaultDomain() || p.node().inputs().isEmpty()) {
                return;
            }
            String op = p.node().opType();
            if (JOINERS.contains(op)) {
                for (int j = 0; j < p.node().inputs().size(); j++) {
                    Origin o = p.node().inputs().get(j).isEmpty() ? null : origin(p, j);
                    if (o != null && o.stored() != null && !(o.stored().storage() instanceof Storage.Synthesized)) {
                        weights.add(o.stored());
                        joined(p, j, depth + 1);
                    }
                }
                return;
            }
            if (!PASS_THROUGH.contains(op) && !(REPLICATORS.contains(op) && op.equals("Expand"))) {
                return;
            }
            r = p;
            i = 0;
        }
    }

    private Result result() {
        List<Finding> findings = new ArrayList<>();
        int tensors = synthesizedSeen.size();
        if (tensors > 0) {
            List<String> by = new ArrayList<>();
            makers.forEach((op, k) -> by.add(op + (makers.size() > 1 ? " (" + k + ")" : "")));
            List<String> shown = synthesizedWhere.subList(0, Math.min(NAMES_SHOWN, synthesizedWhere.size()));
            String more = synthesizedWhere.size() > NAMES_SHOWN ? ", ... " + (synthesizedWhere.size() - NAMES_SHOWN)
                    + " more" : "";
            findings.add(Finding.warning("synthesized-weight", String.format(Locale.ROOT,
                    "%d weight input%s hold%s %s%,d elements made at run time by %s, not stored in the file and not "
                            + "in the parameter count: %s%s", tensors, tensors == 1 ? "" : "s", tensors == 1 ? "s" : "",
                    synthesizedUnknown ? "at least " : "", synthesizedElements, String.join(", ", by),
                    String.join(", ", shown), more), firstSynthesizedNode));
        }
        statistics.removeAll(trainableUses);
        return new Result(weights, statistics, quantization, integerWeights,
                new Synthesized(synthesizedElements, tensors, synthesizedUnknown), findings);
    }
}
