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
public final class MemoryEstimate<T> {

    /**
     * The arithmetic of sizes: bytes as numbers for the report, or as expressions of the symbols for
     * the formula ({@link MemoryFormula}). {@code size} is null when a tensor's size is not known.
     */
    interface Sizes<T> {
        T zero();

        T size(Tensor t);

        T plus(T a, T b);

        T minus(T a, T b);

        T max(T a, T b);

        /** a is known to be larger than b (numbers only: which step is the peak). */
        boolean above(T a, T b);
    }

    /** Sizes as byte counts; sums saturate. */
    static final Sizes<Long> BYTES = new Sizes<>() {
        @Override
        public Long zero() {
            return 0L;
        }

        @Override
        public Long size(Tensor t) {
            long b = TensorBytes.of(t.dtype(), t.shape());
            return b < 0 ? null : b;
        }

        @Override
        public Long plus(Long a, Long b) {
            return Count.saturatingAdd(a, b);
        }

        @Override
        public Long minus(Long a, Long b) {
            return a - b;
        }

        @Override
        public Long max(Long a, Long b) {
            return Math.max(a, b);
        }

        @Override
        public boolean above(Long a, Long b) {
            return a > b;
        }
    };

    /** One graph's timeline. */
    record Timeline<T>(List<T> live, List<String> steps, T peak, int peakStep) {
    }

    /**
     * A nested Keras model's inputs and outputs are the very tensors of its call (no copy, unlike an
     * ONNX Loop's carried values), so its body's own peak leaves them out.
     */
    private static final String KERAS = "keras";

    private final ShapeInference.Result shapes;
    private final Sizes<T> sizes;
    private final Map<String, List<NodeResult>> byPath = new LinkedHashMap<>();
    private final TopoOrder reads;
    private T activations;
    private int unknown;
    /** Where sizes were not known: {node (or input), op (or "input"), tensor}; the first ones only. */
    private final List<String[]> unsized = new ArrayList<>();
    private static final int MAX_UNSIZED = 10_000;

    MemoryEstimate(ShapeInference.Result shapes, Sizes<T> sizes) {
        this.shapes = shapes;
        this.sizes = sizes;
        this.reads = shapes.topo();
        this.activations = sizes.zero();
        List<NodeResult> last = null; // runs of one graph path follow one another: one lookup per run
        String lastPath = null;
        for (NodeResult r : shapes.nodes()) {
            if (last == null || !r.graph().equals(lastPath)) {
                lastPath = r.graph();
                last = byPath.computeIfAbsent(lastPath, k -> new ArrayList<>());
            }
            last.add(r);
        }
    }

    public static Memory of(Graph g, ShapeInference.Result shapes, long weightsBytes, long constantsBytes) {
        MemoryEstimate<Long> e = new MemoryEstimate<>(shapes, BYTES);
        Timeline<Long> main = e.timeline(g);
        long inputs = 0;
        for (Value v : shapes.inputs()) {
            inputs = Count.saturatingAdd(inputs, Math.max(0, TensorBytes.of(v.dtype(), v.shape())));
        }
        long outputs = 0;
        for (Value v : shapes.outputs()) {
            outputs = Count.saturatingAdd(outputs, Math.max(0, TensorBytes.of(v.dtype(), v.shape())));
        }
        List<Long> live = main.live;
        String peakAt = main.peakStep < 0 ? null : main.steps.get(main.peakStep);
        return new Memory(weightsBytes, constantsBytes, inputs, outputs, e.activations, main.peak, peakAt,
                e.unknown, live, main.steps, KvCaches.of(g, shapes.inputs(), shapes.outputs()));
    }

    /** The main graph's timeline. */
    Timeline<T> timeline(Graph g) {
        return timeline(g, "", true, false);
    }

    /** Bytes of every node output over all graphs evaluated so far (a tensor of unknown size adds nothing). */
    T activations() {
        return activations;
    }

    /** Tensors whose size is not known, so far. */
    int unknown() {
        return unknown;
    }

    /** Where they were: {node or input, op or "input", tensor}. */
    List<String[]> unsized() {
        return unsized;
    }

    /**
     * The timeline of {@code g} evaluated at {@code path}; null when its nodes were not evaluated there
     * (then every tensor they make is unknown), an empty timeline when none of them runs (untaken branch).
     */
    private Timeline<T> timeline(Graph g, String path, boolean main, boolean aliased) {
        Set<Node> members = reads.members(g);
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
            return new Timeline<>(List.of(), List.of(), sizes.zero(), -1);
        }
        int n = steps.size();
        Plan plan = reads.plan(g, path, aliased, steps, () -> Plan.of(g, steps, aliased, reads));
        List<Span<T>> spans = new ArrayList<>();
        for (int j = 0; j < plan.inputs.size(); j++) {
            Value v = plan.inputs.get(j);
            spans.add(new Span<>(count(inputTensor(v, steps, main), v.name(), "input", v.name()), 0, plan.inputLast[j]));
        }
        for (int j = 0; j < plan.step.length; j++) {
            NodeResult r = steps.get(plan.step[j]);
            int k = plan.output[j];
            Tensor t = k < r.outputs().size() ? r.outputs().get(k) : Tensor.UNKNOWN;
            T bytes = count(t, r.node().displayName(), r.node().opType(), r.node().outputs().get(k));
            activations = sizes.plus(activations, bytes);
            if (plan.last[j] >= 0) {
                spans.add(new Span<>(bytes, plan.step[j], plan.last[j]));
            }
        }
        int len = Math.max(n, 1);
        List<T> delta = new ArrayList<>(Collections.nCopies(len + 1, sizes.zero()));
        for (Span<T> t : spans) {
            delta.set(t.first, sizes.plus(delta.get(t.first), t.bytes));
            delta.set(t.last + 1, sizes.minus(delta.get(t.last + 1), t.bytes));
        }
        List<T> live = new ArrayList<>(len);
        T running = sizes.zero();
        for (int i = 0; i < len; i++) {
            running = sizes.plus(running, delta.get(i));
            boolean bodies = i < n && !steps.get(i).node().subgraphs().isEmpty();
            live.add(bodies ? sizes.plus(running, bodyPeak(steps.get(i))) : running);
        }
        T peak = sizes.zero();
        int at = -1;
        for (int i = 0; i < live.size(); i++) {
            if (at < 0) {
                peak = live.get(i);
                at = i;
            } else if (sizes.above(live.get(i), peak)) {
                peak = live.get(i);
                at = i;
            } else {
                peak = sizes.max(peak, live.get(i));
            }
        }
        List<String> names = new ArrayList<>(n);
        steps.forEach(r -> names.add(r.node().displayName()));
        return new Timeline<>(n == 0 ? List.of() : live, names, peak, n == 0 ? -1 : at);
    }

    /**
     * Which tensors a graph's timeline holds and the steps each is live over: the graph's structure
     * and node order alone, so the report's memory and the formula's share one (TopoOrder keeps it).
     * {@code step/output} list every node output made, in order; {@code last} is its last step, or
     * -1 when a later definition of the name (or a Constant) replaces it.
     */
    static final class Plan {
        final List<Node> nodes;
        final List<Value> inputs = new ArrayList<>();
        int[] inputLast;
        int[] step;
        int[] output;
        int[] last;

        private Plan(List<Node> nodes) {
            this.nodes = nodes;
        }

        static Plan of(Graph g, List<NodeResult> steps, boolean aliased, TopoOrder reads) {
            List<Node> nodes = new ArrayList<>(steps.size());
            steps.forEach(r -> nodes.add(r.node()));
            Plan p = new Plan(nodes);
            int n = steps.size();
            Map<String, int[]> tensors = new HashMap<>(); // name -> {index (-1 - input index for inputs), last}
            Set<String> boundary = new HashSet<>();
            if (aliased) { // the call's own inputs and outputs, already live at the call's step
                g.inputs().forEach(v -> boundary.add(v.name()));
                g.outputs().forEach(v -> boundary.add(v.name()));
            }
            for (Value v : g.inputs()) {
                if (!g.weights().containsKey(v.name()) && !boundary.contains(v.name())) {
                    int[] old = tensors.put(v.name(), new int[] {-1 - p.inputs.size(), 0});
                    if (old != null) {
                        old[1] = Integer.MIN_VALUE; // a name listed twice: the later one holds
                    }
                    p.inputs.add(v);
                }
            }
            List<int[]> made = new ArrayList<>(); // {step, output, last}
            for (int i = 0; i < n; i++) {
                Node node = nodes.get(i);
                for (String name : reads.reads(node)) {
                    int[] t = tensors.get(name);
                    if (t != null) {
                        t[1] = Math.max(t[1], i);
                    }
                }
                boolean constant = node.isDefaultDomain() && node.opType().equals("Constant");
                for (int k = 0; k < node.outputs().size(); k++) {
                    String name = node.outputs().get(k);
                    if (name.isEmpty()) {
                        continue;
                    }
                    int[] old;
                    if (constant || boundary.contains(name)) {
                        old = tensors.remove(name); // a Constant's value is stored in the file, like a weight
                    } else {
                        int[] m = {i, k, i};
                        made.add(m);
                        old = tensors.put(name, new int[] {made.size() - 1, i});
                    }
                    if (old != null) {
                        old[1] = Integer.MIN_VALUE;
                    }
                }
            }
            for (Value v : g.outputs()) {
                int[] t = tensors.get(v.name());
                if (t != null && t[1] != Integer.MIN_VALUE) {
                    t[1] = Math.max(t[1], Math.max(n - 1, 0));
                }
            }
            p.inputLast = new int[p.inputs.size()];
            p.step = new int[made.size()];
            p.output = new int[made.size()];
            p.last = new int[made.size()];
            java.util.Arrays.fill(p.inputLast, -1);
            java.util.Arrays.fill(p.last, -1);
            for (int[] t : tensors.values()) {
                if (t[1] == Integer.MIN_VALUE) {
                    continue;
                }
                if (t[0] < 0) {
                    p.inputLast[-1 - t[0]] = t[1];
                } else {
                    p.last[t[0]] = t[1];
                }
            }
            for (int j = 0; j < made.size(); j++) {
                p.step[j] = made.get(j)[0];
                p.output[j] = made.get(j)[1];
            }
            return p;
        }
    }

    /** A tensor's size and the steps it is live over. */
    private static final class Span<T> {
        final T bytes;
        final int first;
        int last;

        Span(T bytes, int first, int last) {
            this.bytes = bytes;
            this.first = first;
            this.last = last;
        }
    }

    /** The largest own peak of the node's bodies that run (an If runs one branch, a Loop one body at a time). */
    private T bodyPeak(NodeResult r) {
        T most = sizes.zero();
        for (Graph sub : r.node().subgraphs()) {
            String name = sub.name().isEmpty() ? "body" : sub.name();
            String path = (r.graph().isEmpty() ? "" : r.graph() + "/") + r.node().displayName() + "/" + name;
            Timeline<T> t = timeline(sub, path, false, KERAS.equals(r.node().domain()));
            if (t == null) {
                for (Node n : sub.nodes()) {
                    unknown += (int) n.outputs().stream().filter(o -> !o.isEmpty()).count();
                    unsized.add(new String[] {n.displayName(), n.opType(), "(not evaluated)"});
                }
                continue;
            }
            most = sizes.max(most, t.peak);
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
    private T count(Tensor t, String node, String op, String tensor) {
        T bytes = sizes.size(t);
        if (bytes == null) {
            unknown++;
            if (unsized.size() < MAX_UNSIZED) {
                unsized.add(new String[] {node, op, tensor});
            }
            return sizes.zero();
        }
        return bytes;
    }
}
