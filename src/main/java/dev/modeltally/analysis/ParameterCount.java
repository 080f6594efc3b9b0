package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.ElementCountOverflowException;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
        final Set<Node> users = new IdentityOrderedSet<>();
        boolean graphOutput;
        boolean batchNormStatistic;

        Tensor(Weight weight, long elements, boolean parameter) {
            this.weight = weight;
            this.elements = elements;
            this.parameter = parameter;
        }
    }

    private final List<Tensor> tensors = new ArrayList<>();
    /** By identity: a Node record's hash covers its subgraphs, exponential in a file's nesting. */
    private final Map<Node, List<Tensor>> nodeWeights = new IdentityHashMap<>();
    private final List<Node> nodeOrder = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    private ParameterCount() {
    }

    public static Result of(Model model) {
        ParameterCount pc = new ParameterCount();
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
            Tensor t = new Tensor(w, n, isParameter(w));
            scope.put(w.name(), t);
            tensors.add(t);
        }
        List<Map<String, Tensor>> chain = new ArrayList<>(outer.size() + 1);
        chain.add(scope);
        chain.addAll(outer);
        for (Node node : graph.nodes()) {
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
        for (Tensor t : tensors) {
            Weight w = t.weight;
            long b = bytesOf(w.dtype(), t.elements);
            if (t.parameter) {
                total = Counts.add(total, t.elements);
                if (w.trainable() && !t.batchNormStatistic) {
                    trainable = Counts.add(trainable, t.elements);
                }
                bytes = Counts.add(bytes, b);
                byDtype.merge(w.dtype().name(), t.elements, Long::sum);
                paramTensors++;
            } else {
                constElements = Counts.add(constElements, t.elements);
                constBytes = Counts.add(constBytes, b);
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
            if (t.users.size() > 1 && t.parameter) {
                List<String> names = new ArrayList<>();
                for (Node n : t.users) {
                    names.add(n.displayName());
                }
                findings.add(Finding.info("shared-weight",
                        "tensor '" + w.name() + "' (" + String.format("%,d", t.elements) + " elements) is used by "
                                + t.users.size() + " nodes (" + abbreviate(names) + "); counted once", w.name()));
            }
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
            if (p > 0) {
                nodes.add(new NodeParams(node.displayName(), node.opType(), p, names));
            }
        }
        Parameters params = new Parameters(total, trainable, total - trainable, bytes, byDtype, paramTensors);
        return new Result(params, new Constants(constElements, constBytes, constTensors), nodes, findings);
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
        if (names.size() <= 4) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 4)) + ", ... " + (names.size() - 4) + " more";
    }
}
