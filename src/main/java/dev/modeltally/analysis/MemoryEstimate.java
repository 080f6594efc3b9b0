package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tensor sizes and lifetimes over the evaluated graph (ONNX nodes and Keras layer calls alike): a
 * graph input is live from the first step to its last consumer, a node output from the step that
 * makes it to its last consumer (a graph output to the last step); weights and Constant outputs are
 * not counted. A control-flow node's step also holds its body's own peak (the largest over the bodies
 * that run). A tensor of unknown size adds nothing and is counted in {@code unknownTensors}.
 */
public final class MemoryEstimate {

    /** One graph's timeline. */
    private record Timeline(long[] live, List<String> steps, long peak, int peakStep) {
    }

    /**
     * A nested Keras model's inputs and outputs are the very tensors of its call (no copy, unlike an
     * ONNX Loop's carried values), so its body's own peak leaves them out.
     */
    private static final String KERAS = "keras";

    private final ShapeInference.Result shapes;
    private final Map<String, List<NodeResult>> byPath = new LinkedHashMap<>();
    private final TopoOrder reads = new TopoOrder();
    private long activations;
    private int unknown;

    private MemoryEstimate(ShapeInference.Result shapes) {
        this.shapes = shapes;
        for (NodeResult r : shapes.nodes()) {
            byPath.computeIfAbsent(r.graph(), k -> new ArrayList<>()).add(r);
        }
    }

    public static Memory of(Graph g, ShapeInference.Result shapes, long weightsBytes, long constantsBytes) {
        MemoryEstimate e = new MemoryEstimate(shapes);
        Timeline main = e.timeline(g, "", true, false);
        long inputs = 0;
        for (Value v : shapes.inputs()) {
            inputs = Count.saturatingAdd(inputs, Math.max(0, TensorBytes.of(v.dtype(), v.shape())));
        }
        long outputs = 0;
        for (Value v : shapes.outputs()) {
            outputs = Count.saturatingAdd(outputs, Math.max(0, TensorBytes.of(v.dtype(), v.shape())));
        }
        List<Long> live = new ArrayList<>(main.live.length);
        for (long b : main.live) {
            live.add(b);
        }
        String peakAt = main.peakStep < 0 ? null : main.steps.get(main.peakStep);
        return new Memory(weightsBytes, constantsBytes, inputs, outputs, e.activations, main.peak, peakAt,
                e.unknown, live, main.steps, KvCaches.of(g, shapes.inputs(), shapes.outputs()));
    }

    /**
     * The timeline of {@code g} evaluated at {@code path}; null when its nodes were not evaluated there
     * (then every tensor they make is unknown), an empty timeline when none of them runs (untaken branch).
     */
    private Timeline timeline(Graph g, String path, boolean main, boolean aliased) {
        Set<Node> members = new java.util.HashSet<>();
        members.addAll(g.nodes());
        List<NodeResult> steps = new ArrayList<>();
        for (NodeResult r : byPath.getOrDefault(path, List.of())) {
            if (members.contains(r.node())) {
                steps.add(r);
            }
        }
        if (steps.isEmpty() && !g.nodes().isEmpty()) {
            return null;
        }
        if (!main && steps.stream().allMatch(r -> r.runs().isZero())) {
            return new Timeline(new long[0], List.of(), 0, -1);
        }
        int n = steps.size();
        Map<String, long[]> tensors = new HashMap<>(); // name -> {bytes, first step, last step}
        Set<String> boundary = new HashSet<>();
        if (aliased) { // the call's own inputs and outputs, already live at the call's step
            g.inputs().forEach(v -> boundary.add(v.name()));
            g.outputs().forEach(v -> boundary.add(v.name()));
        }
        for (Value v : g.inputs()) {
            if (!g.weights().containsKey(v.name()) && !boundary.contains(v.name())) {
                Tensor t = inputTensor(v, steps, main);
                tensors.put(v.name(), new long[] {count(TensorBytes.of(t.dtype(), t.shape())), 0, 0});
            }
        }
        for (int i = 0; i < n; i++) {
            NodeResult r = steps.get(i);
            for (String name : reads.reads(r.node())) {
                long[] t = tensors.get(name);
                if (t != null) {
                    t[2] = Math.max(t[2], i);
                }
            }
            boolean constant = r.node().isDefaultDomain() && r.node().opType().equals("Constant");
            for (int k = 0; k < r.node().outputs().size(); k++) {
                String name = r.node().outputs().get(k);
                if (name.isEmpty()) {
                    continue;
                }
                if (constant || boundary.contains(name)) {
                    tensors.remove(name); // a Constant's value is stored in the file, like a weight
                    continue;
                }
                Tensor t = k < r.outputs().size() ? r.outputs().get(k) : Tensor.UNKNOWN;
                long bytes = count(TensorBytes.of(t.dtype(), t.shape()));
                activations = Count.saturatingAdd(activations, bytes);
                tensors.put(name, new long[] {bytes, i, i});
            }
        }
        for (Value v : g.outputs()) {
            long[] t = tensors.get(v.name());
            if (t != null) {
                t[2] = Math.max(n - 1, 0);
            }
        }
        long[] live = new long[Math.max(n, 1)];
        long[] delta = new long[live.length + 1];
        for (long[] t : tensors.values()) {
            if (t[0] > 0) {
                delta[(int) t[1]] = Count.saturatingAdd(delta[(int) t[1]], t[0]);
                delta[(int) t[2] + 1] -= t[0];
            }
        }
        long running = 0;
        for (int i = 0; i < live.length; i++) {
            running = Count.saturatingAdd(running, delta[i]);
            live[i] = i < n ? Count.saturatingAdd(running, bodyPeak(steps.get(i))) : running;
        }
        long peak = 0;
        int at = -1;
        for (int i = 0; i < live.length; i++) {
            if (live[i] > peak || at < 0) {
                peak = live[i];
                at = i;
            }
        }
        List<String> names = new ArrayList<>(n);
        steps.forEach(r -> names.add(r.node().displayName()));
        return new Timeline(n == 0 ? new long[0] : live, names, peak, n == 0 ? -1 : at);
    }

    /** The largest own peak of the node's bodies that run (an If runs one branch, a Loop one body at a time). */
    private long bodyPeak(NodeResult r) {
        long most = 0;
        for (Graph sub : r.node().subgraphs()) {
            String name = sub.name().isEmpty() ? "body" : sub.name();
            String path = (r.graph().isEmpty() ? "" : r.graph() + "/") + r.node().displayName() + "/" + name;
            Timeline t = timeline(sub, path, false, KERAS.equals(r.node().domain()));
            if (t == null) {
                for (Node n : sub.nodes()) {
                    unknown += (int) n.outputs().stream().filter(o -> !o.isEmpty()).count();
                }
                continue;
            }
            most = Math.max(most, t.peak);
        }
        return most;
    }

    /** An input's tensor: as resolved for the main graph, else as its first consumer saw it. */
    private Tensor inputTensor(Value v, List<NodeResult> steps, boolean main) {
        if (main) {
            for (Value u : shapes.inputs()) {
                if (u.name().equals(v.name())) {
                    return Tensor.of(u.dtype(), u.shape());
                }
            }
        }
        for (NodeResult r : steps) {
            int k = r.node().inputs().indexOf(v.name());
            if (k >= 0 && k < r.inputs().size()) {
                return r.inputs().get(k);
            }
        }
        return Tensor.of(v.dtype(), v.shape());
    }

    /** A tensor's bytes as a live/summed amount: an unknown size is 0 here and counted as unknown. */
    private long count(long bytes) {
        if (bytes < 0) {
            unknown++;
            return 0;
        }
        return bytes;
    }
}
