package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.ElementCountOverflowException;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.MlAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts stored parameters from tensor metadata (see docs/counting.md): every tensor once, in the
 * main graph and every subgraph; which nodes use which tensor; which tensors nobody uses.
 */
public final class ParameterCount {

    /** The result: totals, constants, per-node attribution and findings. */
    public record Result(Parameters parameters, Constants constants, List<NodeParams> nodes, List<Finding> findings) {
    }

    /** One tensor as stored in one graph; identity matters, names may repeat across subgraphs. */
    private static final class Tensor {
        final Weight weight;
        final long elements;
        final boolean parameter;
        final Set<Node> users = new java.util.LinkedHashSet<>(); // graph order: findings list users stably
        boolean graphOutput;
        boolean batchNormStatistic;

        Tensor(Weight weight, long elements, boolean parameter) {
            this.weight = weight;
            this.elements = elements;
            this.parameter = parameter;
        }
    }

    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<Node, List<Tensor>> nodeWeights = new HashMap<>();
    private final List<Node> nodeOrder = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    private final WeightInputs.Result uses;
    /** Learned values held in node attributes (ai.onnx.ml), per node. */
    private final Map<Node, List<MlAttributes.Learned>> attributeHeld = new HashMap<>();

    private ParameterCount(WeightInputs.Result uses) {
        this.uses = uses;
    }

    /** Elements of the learned values held in attributes, over the model (source "attribute"). */
    public static long attributeElements(Model model) {
        return attributeElements(model.graph());
    }

    private static long attributeElements(Graph g) {
        long n = 0;
        for (Node node : g.nodes()) {
            n = Count.saturatingAdd(n, MlAttributes.elements(node));
            for (Graph sub : node.subgraphs()) {
                n = Count.saturatingAdd(n, attributeElements(sub));
            }
        }
        return n;
    }

    /** Initializers only: what can be said without knowing which Constant nodes feed weights. */
    public static Result of(Model model) {
        return of(model, WeightInputs.Result.none());
    }

    /** The counting rule of docs/counting.md, with {@code uses} telling which stored tensors feed weights. */
    public static Result of(Model model, WeightInputs.Result uses) {
        ParameterCount pc = new ParameterCount(uses);
        pc.walk(model.graph(), List.of());
        return pc.result();
    }

    /** Whether a stored tensor is a parameter under the counting rule. */
    public static boolean isParameter(Weight w) {
        return switch (w.role()) {
            case VARIABLE -> true;
            case CONSTANT_NODE -> false;
            case INITIALIZER, SPARSE_INITIALIZER -> w.dtype().isWeightType();
        };
    }

    private void walk(Graph graph, List<Map<String, Tensor>> outer) {
        Map<String, Tensor> scope = new LinkedHashMap<>();
        for (Weight w : graph.weights().values()) {
            if (w.storage() instanceof Storage.Synthesized) {
                continue; // made at run time, never stored: reported by the cross-check
            }
            long n = elements(w);
            boolean constantWeight = w.role() == Weight.Role.CONSTANT_NODE && w.dtype().isWeightType()
                    && uses.weights().contains(w);
            Tensor t = new Tensor(w, n, isParameter(w) || constantWeight);
            t.batchNormStatistic = uses.statistics().contains(w);
            scope.put(w.name(), t);
            tensors.add(t);
        }
        List<Map<String, Tensor>> chain = new ArrayList<>(outer.size() + 1);
        chain.add(scope);
        chain.addAll(outer);
        for (Node node : graph.nodes()) {
            List<MlAttributes.Learned> held = MlAttributes.learned(node);
            if (!held.isEmpty()) {
                attributeHeld.put(node, held);
                nodeWeights.computeIfAbsent(node, k -> {
                    nodeOrder.add(k);
                    return new ArrayList<>();
                });
            }
            List<String> inputs = node.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                Tensor t = resolve(chain, inputs.get(i));
                if (t == null) {
                    continue;
                }
                t.users.add(node);
                List<Tensor> used = nodeWeights.computeIfAbsent(node, k -> {
                    nodeOrder.add(k);
                    return new ArrayList<>();
                });
                if (!used.contains(t)) {
                    used.add(t);
                }
                if ((i == 3 || i == 4) && node.opType().equals("BatchNormalization") && node.isDefaultDomain()) {
                    t.batchNormStatistic = true;
                }
            }
            for (Graph sub : node.subgraphs()) {
                walk(sub, chain);
            }
        }
        for (Value out : graph.outputs()) {
            Tensor t = resolve(chain, out.name());
            if (t != null) {
                t.graphOutput = true;
            }
        }
    }

    private static Tensor resolve(List<Map<String, Tensor>> chain, String name) {
        if (name.isEmpty()) {
            return null;
        }
        for (Map<String, Tensor> scope : chain) {
            Tensor t = scope.get(name);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private long elements(Weight w) {
        try {
            OptionalLong n = w.shape().elementCount();
            if (n.isEmpty()) {
                findings.add(Finding.warning("weight-shape-unknown",
                        "tensor '" + w.name() + "' has no fixed shape " + w.shape() + "; not counted", w.name()));
                return 0;
            }
            return n.getAsLong();
        } catch (ElementCountOverflowException e) {
            findings.add(Finding.error("element-count-overflow",
                    "tensor '" + w.name() + "' declares dims " + w.shape()
                            + " whose product overflows 64 bits; not counted", w.name()));
            return 0;
        }
    }

    private Result result() {
        long total = 0;
        long trainable = 0;
        long bytes = 0;
        int paramTensors = 0;
        long constElements = 0;
        long constBytes = 0;
        int constTensors = 0;
        Map<String, Long> byDtype = new TreeMap<>();
        long fromInitializers = 0;
        long fromConstants = 0;
        int constantTensors = 0;
        long fromVariables = 0;
        long quantElements = 0;
        int quantTensors = 0;
        long intBiasElements = 0;
        int intBiasTensors = 0;
        List<Tensor> shared = new ArrayList<>();
        for (Tensor t : tensors) {
            Weight w = t.weight;
            long b = bytesOf(w.dtype(), t.elements);
            if (t.parameter) {
                total = Count.saturatingAdd(total, t.elements);
                // ONNX stores no trainability flag: a Constant-node weight is as trainable as an initializer
                if ((w.trainable() || w.role() == Weight.Role.CONSTANT_NODE) && !t.batchNormStatistic) {
                    trainable = Count.saturatingAdd(trainable, t.elements);
                }
                bytes = Count.saturatingAdd(bytes, b);
                byDtype.merge(w.dtype().name(), t.elements, Long::sum);
                paramTensors++;
                switch (w.role()) {
                    case INITIALIZER, SPARSE_INITIALIZER -> fromInitializers = Count.saturatingAdd(fromInitializers, t.elements);
                    case CONSTANT_NODE -> {
                        fromConstants = Count.saturatingAdd(fromConstants, t.elements);
                        constantTensors++;
                    }
                    case VARIABLE -> fromVariables = Count.saturatingAdd(fromVariables, t.elements);
                }
                if (uses.quantization().contains(w)) {
                    quantElements = Count.saturatingAdd(quantElements, t.elements);
                    quantTensors++;
                }
            } else {
                if (uses.integerWeights().contains(w)) {
                    intBiasElements = Count.saturatingAdd(intBiasElements, t.elements);
                    intBiasTensors++;
                }
                constElements = Count.saturatingAdd(constElements, t.elements);
                constBytes = Count.saturatingAdd(constBytes, b);
                constTensors++;
            }
            if (w.storage() instanceof Storage.Absent && t.elements > 0) {
                findings.add(Finding.warning("tensor-without-data",
                        "tensor '" + w.name() + "' declares " + w.shape() + " but stores no data", w.name()));
            }
            boolean initializer = w.role() == Weight.Role.INITIALIZER || w.role() == Weight.Role.SPARSE_INITIALIZER;
            if (initializer && t.users.isEmpty() && !t.graphOutput) {
                findings.add(Finding.warning("unused-initializer",
                        "initializer '" + w.name() + "' " + w.shape() + " (" + String.format("%,d", t.elements)
                                + " elements) is not used by any node", w.name()));
            }
            if (t.users.size() > 1 && t.parameter && t.elements > 1) {
                shared.add(t); // a scalar or empty tensor read by many nodes is no tied weight
            }
        }
        sharedWeights(shared);
        long fromAttributes = 0;
        for (List<MlAttributes.Learned> held : attributeHeld.values()) {
            paramTensors += held.size(); // each learned attribute array is one parameter tensor
            Map<DType, Long> byType = new java.util.EnumMap<>(DType.class);
            held.forEach(l -> byType.merge(l.dtype(), l.elements(), Count::saturatingAdd));
            for (Map.Entry<DType, Long> e : byType.entrySet()) {
                total = Count.saturatingAdd(total, e.getValue());
                trainable = Count.saturatingAdd(trainable, e.getValue());
                bytes = Count.saturatingAdd(bytes, bytesOf(e.getKey(), e.getValue()));
                byDtype.merge(e.getKey().name(), e.getValue(), Long::sum);
                fromAttributes = Count.saturatingAdd(fromAttributes, e.getValue());
            }
        }
        if (constantTensors > 0) {
            findings.add(Finding.info("constant-node-weights", String.format("%,d parameters in %d tensors are held by "
                    + "Constant nodes (not initializers) that nodes consume as weights; they are counted as parameters",
                    fromConstants, constantTensors), null));
        }
        findTiedPairs();
        List<NodeParams> nodes = new ArrayList<>();
        for (Node node : nodeOrder) {
            long p = 0;
            List<String> names = new ArrayList<>();
            Set<Tensor> seen = new LinkedHashSet<>();
            for (Tensor t : nodeWeights.get(node)) {
                if (t.parameter && seen.add(t)) {
                    p += t.elements;
                    names.add(t.weight.name());
                }
            }
            for (MlAttributes.Learned l : attributeHeld.getOrDefault(node, List.of())) {
                p = Count.saturatingAdd(p, l.elements());
                names.add("attribute " + l.attribute());
            }
            if (p > 0) {
                nodes.add(new NodeParams(node.displayName(), node.opType(), p, names));
            }
        }
        WeightInputs.Synthesized syn = uses.synthesized();
        Parameters params = new Parameters(total, trainable, total - trainable, bytes, byDtype, paramTensors,
                new Parameters.BySource(fromInitializers, fromConstants, fromAttributes, fromVariables),
                new Parameters.Tally(quantElements, quantTensors, false),
                new Parameters.Tally(syn.elements(), syn.tensors(), syn.unknown()),
                new Parameters.Tally(intBiasElements, intBiasTensors, false));
        return new Result(params, new Constants(constElements, constBytes, constTensors), nodes, findings);
    }

    /** One finding however many tensors are shared: the first named in full, the others listed. */
    private void sharedWeights(List<Tensor> shared) {
        if (shared.isEmpty()) {
            return;
        }
        Tensor first = shared.get(0);
        List<String> names = new ArrayList<>();
        for (Node n : first.users) {
            names.add(n.displayName());
        }
        String message = "tensor '" + first.weight.name() + "' (" + String.format("%,d", first.elements)
                + " elements) is used by " + first.users.size() + " nodes (" + abbreviate(names) + "); counted once";
        if (shared.size() > 1) {
            List<String> others = new ArrayList<>();
            for (Tensor t : shared.subList(1, shared.size())) {
                others.add("'" + t.weight.name() + "' (" + t.users.size() + " nodes)");
            }
            message = shared.size() + " tensors are used by several nodes and counted once: " + message
                    + "; also " + abbreviate(others, 9);
        }
        findings.add(Finding.info("shared-weight", message, first.weight.name()));
    }

    /**
     * An embedding table ([vocab, dim], read by a Gather) and a second tensor of the transposed shape:
     * the signature of an output projection tied to the embedding in the framework but exported as
     * its own copy (GPT-2's lm_head), which makes the file's count exceed the framework's.
     */
    private void findTiedPairs() {
        Map<String, Tensor> byShape = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.parameter && t.weight.shape().isFullyKnown() && t.weight.shape().rank() == 2) {
                byShape.putIfAbsent(t.weight.shape().toString(), t);
            }
        }
        for (Tensor emb : tensors) {
            if (!emb.parameter || emb.elements < 4096 || !emb.weight.shape().isFullyKnown()
                    || emb.weight.shape().rank() != 2 || emb.users.stream().noneMatch(n -> n.opType().equals("Gather"))) {
                continue;
            }
            long[] d = emb.weight.shape().sizes();
            if (d[0] == d[1]) {
                continue;
            }
            Tensor other = byShape.get(dev.modeltally.ir.Shape.of(d[1], d[0]).toString());
            if (other != null && other != emb) {
                findings.add(Finding.info("tied-weight-stored-twice",
                        "embedding '" + emb.weight.name() + "' " + emb.weight.shape() + " and '" + other.weight.name()
                                + "' " + other.weight.shape() + " look like one tied weight stored twice ("
                                + String.format("%,d", other.elements) + " extra elements)", other.weight.name()));
            }
        }
    }

    private static long bytesOf(DType dtype, long elements) {
        try {
            return dtype.bytesFor(elements);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String abbreviate(List<String> names) {
        return abbreviate(names, 4);
    }

    private static String abbreviate(List<String> names, int shown) {
        if (names.size() <= shown) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, shown)) + ", ... " + (names.size() - shown) + " more";
    }
}
