package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.Count;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.OpRule;
import dev.modeltally.ops.Tensor;
import dev.modeltally.ops.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates graphs node by node in topological order, applying each op's rule and keeping what is
 * known of every value in nested scopes (a subgraph sees its enclosing graphs' values).
 */
final class GraphEvaluator {

    /** What one name is bound to in a scope: its value, the stored tensor behind it (if any), its producer. */
    private record Binding(Tensor value, Weight weight, NodeResult producer) {
    }

    /** Values, stored tensors and producers visible in one graph: one map, one lookup per name. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Binding> names;

        Scope(Scope parent, int expected) {
            this.parent = parent;
            this.names = new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
        }

        /** The innermost binding of a name: the innermost definition wins, stored or not. */
        Binding binding(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Binding b = s.names.get(name);
                if (b != null) {
                    return b;
                }
            }
            return null;
        }

        Tensor value(String name) {
            Binding b = binding(name);
            return b == null ? null : b.value;
        }

        NodeResult producer(String name) {
            Binding b = binding(name);
            return b == null ? null : b.producer;
        }

        /** A graph input or node output; it keeps a stored tensor of its name in this scope only if asked. */
        void bind(String name, Tensor value, boolean keepStored, NodeResult producer) {
            Binding old = keepStored ? names.get(name) : null;
            names.put(name, new Binding(value, old == null ? null : old.weight, producer));
        }
    }

    private final Map<String, Long> opsets;
    private final DeclaredShapes declared;
    private final TopoOrder topo;
    /**
     * Per node, its place in the report for each graph path it is evaluated at (a subgraph called
     * from two nodes, a shared Keras model, is two paths): a Slot for one path, the usual case, or a
     * map of them by path. A node evaluated again at a path (a Loop's second pass) keeps its place.
     */
    private final Map<Node, Object> slots = new HashMap<>();
    private final List<Slot> order = new ArrayList<>();
    private final RuleMemo memo = new RuleMemo();

    private static final class Slot {
        final String path;
        NodeResult result;

        Slot(String path) {
            this.path = path;
        }
    }
    private final Set<Finding> findings = new LinkedHashSet<>();
    private final Set<String> assumed = new LinkedHashSet<>();
    private final Set<String> notes = new LinkedHashSet<>();
    /** By graph path and node: a body evaluated again (a Loop's second pass) replaces its earlier entry. */
    private final Map<String, Alternative> alternatives = new java.util.LinkedHashMap<>();
    /** Node evaluations allowed in all: Loop bodies may be evaluated twice, so nesting could explode. */
    private final long budget;
    private long evaluations;

    GraphEvaluator(Map<String, Long> opsets, DeclaredShapes declared, long budget) {
        this(opsets, declared, budget, new TopoOrder());
    }

    GraphEvaluator(Map<String, Long> opsets, DeclaredShapes declared, long budget, TopoOrder topo) {
        this.topo = topo;
        this.opsets = opsets;
        this.declared = declared;
        this.budget = budget;
    }

    List<NodeResult> results() {
        List<NodeResult> out = new ArrayList<>(order.size());
        for (Slot s : order) {
            if (s.result != null) {
                out.add(s.result);
            }
        }
        return out;
    }

    List<Finding> findings() {
        return new ArrayList<>(findings);
    }

    Set<String> assumed() {
        return assumed;
    }

    /** What stays undecided at run time (If conditions, Loop trip counts) and what decides it. */
    Set<String> notes() {
        return notes;
    }

    List<Alternative> alternatives() {
        return new ArrayList<>(alternatives.values());
    }

    /**
     * Evaluates {@code g}; {@code inputs} are bound to its inputs in order (missing ones come from
     * the declaration). Returns what is known of its outputs.
     */
    List<Tensor> run(Graph g, Scope parent, List<Tensor> inputs, Count runs, String path) {
        Scope scope = new Scope(parent, g.weights().size() + g.inputs().size() + 2 * g.nodes().size());
        for (Weight w : g.weights().values()) {
            scope.names.put(w.name(), new Binding(new Tensor(w.dtype(), w.shape(),
                    Values.ofStored(w.intValues(), w.floatValues())), w, null));
        }
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            if (g.weights().containsKey(v.name()) && parent == null) {
                continue; // an initializer listed as an input: the stored tensor is its default
            }
            Tensor given = i < inputs.size() ? inputs.get(i) : Tensor.UNKNOWN;
            scope.bind(v.name(), declared.merge(given, v), true, null);
        }
        Map<String, Value> declaredValues = new HashMap<>();
        g.valueInfo().forEach(v -> declaredValues.put(v.name(), v));
        g.outputs().forEach(v -> declaredValues.put(v.name(), v));
        TopoOrder.Order o = topo.order(g);
        for (Node n : o.sorted()) {
            evaluate(n, scope, runs, path, declaredValues);
        }
        if (!o.blocked().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Node n : o.blocked()) {
                names.add(n.displayName());
                record(n, new NodeResult(n, path, List.of(), List.of(), List.of(), unknowns(n), null, runs,
                        NodeResult.Status.CYCLE));
            }
            findings.add(Finding.error("graph-cycle", o.blocked().size() + " node(s) lie on or behind a cycle and "
                    + "were not evaluated: " + abbreviate(names), names.get(0)));
        }
        List<Tensor> out = new ArrayList<>();
        for (Value v : g.outputs()) {
            Tensor t = scope.value(v.name());
            out.add(declared.merge(t == null ? Tensor.UNKNOWN : t, v));
        }
        return out;
    }

    private void evaluate(Node n, Scope scope, Count runs, String path, Map<String, Value> declaredValues) {
        evaluations++;
        Slot slot = listed(n, path); // a control-flow node is listed before its subgraphs' nodes
        int k = n.inputs().size();
        List<Tensor> ins = new ArrayList<>(k);
        List<Weight> stored = new ArrayList<>(k);
        List<NodeResult> producers = new ArrayList<>(k);
        for (String name : n.inputs()) {
            Binding b = name.isEmpty() ? null : scope.binding(name); // value, stored tensor and producer at once
            if (b == null && !name.isEmpty()) {
                findings.add(Finding.warning("undefined-input", "node '" + n.displayName() + "' reads '" + name
                        + "', which no input, initializer or node defines", n.displayName()));
            }
            ins.add(b == null ? Tensor.UNKNOWN : b.value);
            stored.add(storedThroughIdentity(b, scope));
            producers.add(b == null ? null : b.producer);
        }
        OpRule rule = OpRegistry.find(n.domain(), n.opType());
        OpResult r = null;
        if (rule != null) {
            alternatives.remove(path + "\u0000" + n.displayName()); // re-evaluated: decided afresh
            Context ctx = new Context(n, ins, stored, scope, runs, path);
            Interner.Key key = RuleMemo.shareable(n) ? memo.key(n, ctx.opset(), ins) : null;
            r = key == null ? null : memo.get(key);
            try {
                if (r == null) {
                    r = rule.apply(ctx);
                    if (key != null && r != null) {
                        memo.put(key, r);
                    }
                }
            } catch (RuntimeException e) {
                findings.add(Finding.warning("shape-rule-error", "the " + OpRegistry.key(n.domain(), n.opType())
                        + " rule failed on node '" + n.displayName() + "' (" + e + "); its outputs are unknown",
                        n.displayName()));
            }
        }
        List<Tensor> outs = new ArrayList<>(n.outputs().size());
        for (int i = 0; i < n.outputs().size(); i++) {
            String name = n.outputs().get(i);
            Tensor t = r != null && i < r.outputs().size() ? r.outputs().get(i) : Tensor.UNKNOWN;
            Value d = declaredValues.get(name);
            if (declared.conflicts(t, d)) {
                findings.add(Finding.warning("declared-shape-mismatch", "node '" + n.displayName() + "' output '"
                        + name + "': inferred " + t.shape() + " but the file declares " + d.shape(), n.displayName()));
            }
            outs.add(declared.merge(t, d));
        }
        NodeResult.Status status = rule == null ? NodeResult.Status.NO_RULE : NodeResult.Status.EVALUATED;
        NodeResult res = new NodeResult(n, path, ins, stored, producers, outs, r, runs, status);
        slot.result = res; // its own place: evaluating subgraphs lists other nodes only
        for (int i = 0; i < outs.size(); i++) {
            String name = n.outputs().get(i);
            if (!name.isEmpty()) {
                // a node's output shadows a stored tensor of that name (a Constant's is its own)
                scope.bind(name, outs.get(i), n.opType().equals("Constant"), res);
            }
        }
        if (r != null) {
            for (String p : r.problems()) {
                findings.add(Finding.warning("shape-contradiction", OpRegistry.key(n.domain(), n.opType()) + " '"
                        + n.displayName() + "': " + p, n.displayName()));
            }
            assumed.addAll(r.assumed());
        }
        if (n.opType().equals("Loop") && n.isDefaultDomain() && r != null && !runs.isZero()) {
            noteUndecidedLoop(n, res, scope);
        }
    }

    /** A Loop whose trip count is not known: say what decides it, so the user can give it. */
    private void noteUndecidedLoop(Node n, NodeResult res, Scope scope) {
        boolean tripKnown = n.inputs().size() > 0 && !n.inputs().get(0).isEmpty()
                && res.inputs().get(0).values() != null && res.inputs().get(0).values().size() == 1
                && res.inputs().get(0).values().get(0).isKnown();
        if (tripKnown) {
            return;
        }
        if (n.inputs().isEmpty() || n.inputs().get(0).isEmpty()) {
            notes.add("Loop '" + n.displayName() + "' runs until its condition turns false, which is computed at "
                    + "run time: its body is counted as unknown (the totals are lower bounds)");
            return;
        }
        String m = n.inputs().get(0);
        String by = Deciders.describe(m, res.producers().get(0), res.stored().get(0) != null);
        notes.add("Loop '" + n.displayName() + "' trip count is not known: it is decided by " + by
                + Deciders.hint(by, "N") + "; its body is counted as unknown (the totals are lower bounds)");
    }

    /** The stored tensor behind a value, looking through Identity nodes (exporters dedupe with them). */
    private static Weight storedThroughIdentity(String name, Scope scope) {
        return storedThroughIdentity(scope.binding(name), scope);
    }

    /** The same from a name's binding (null: the name is not defined). */
    private static Weight storedThroughIdentity(Binding b, Scope scope) {
        for (int hops = 0; hops < 8 && b != null; hops++) {
            if (b.weight != null) {
                return b.weight;
            }
            NodeResult p = b.producer;
            if (p == null || !p.node().opType().equals("Identity") || p.node().inputs().isEmpty()) {
                return null;
            }
            b = scope.binding(p.node().inputs().get(0));
        }
        return null;
    }

    /** Records a subgraph's nodes as not evaluated (their cost unknown) and returns unknown outputs. */
    private List<Tensor> skip(Graph graph, String path) {
        findings.add(Finding.warning("evaluation-budget", "subgraphs nest so deeply that evaluating them all "
                + "would take over " + budget + " node evaluations; the rest are not evaluated", path));
        for (Node n : graph.nodes()) {
            record(n, new NodeResult(n, path, List.of(), List.of(), List.of(), unknowns(n), null, Count.UNKNOWN,
                    NodeResult.Status.SKIPPED));
        }
        List<Tensor> out = new ArrayList<>();
        graph.outputs().forEach(v -> out.add(Tensor.UNKNOWN));
        return out;
    }

    /** Keeps a node's latest result for its graph path (re-running a subgraph from the same node replaces it). */
    private void record(Node n, NodeResult r) {
        listed(n, r.graph()).result = r;
    }

    /** Gives (node, path) its place in the report order the first time it is met. */
    @SuppressWarnings("unchecked")
    private Slot listed(Node n, String path) {
        Object o = slots.get(n);
        if (o instanceof Slot s && s.path.equals(path)) {
            return s;
        }
        Map<String, Slot> byPath;
        if (o == null) {
            Slot s = new Slot(path);
            slots.put(n, s);
            order.add(s);
            return s;
        } else if (o instanceof Slot s) {
            byPath = new HashMap<>();
            byPath.put(s.path, s);
            slots.put(n, byPath);
        } else {
            byPath = (Map<String, Slot>) o;
        }
        Slot s = byPath.get(path);
        if (s == null) {
            s = new Slot(path);
            byPath.put(path, s);
            order.add(s);
        }
        return s;
    }

    private static List<Tensor> unknowns(Node n) {
        List<Tensor> out = new ArrayList<>();
        n.outputs().forEach(o -> out.add(Tensor.UNKNOWN));
        return out;
    }

    static String abbreviate(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 4)) + ", ... " + (names.size() - 4) + " more";
    }

    /** The rule's view of one node. */
    private final class Context extends NodeView {
        private final Scope scope;
        private final Count runs;
        private final String path;

        Context(Node node, List<Tensor> inputs, List<Weight> stored, Scope scope, Count runs, String path) {
            super(node, inputs, stored, NodeView.opsetOf(opsets, node));
            this.scope = scope;
            this.runs = runs;
            this.path = path;
        }

        @Override
        public List<Tensor> runSubgraph(Graph graph, List<Tensor> ins, Count times) {
            return runSubgraphInstance(graph, ins, times, "");
        }

        @Override
        public List<Tensor> runSubgraphInstance(Graph graph, List<Tensor> ins, Count times, String label) {
            Count sub = Count.perRun(runs, times);
            String name = graph.name().isEmpty() ? "body" : graph.name();
            String p = (path.isEmpty() ? "" : path + "/") + node.displayName() + "/" + name + label;
            if (evaluations + graph.nodes().size() > budget) {
                return skip(graph, p);
            }
            return run(graph, scope, ins, sub, p);
        }

        @Override
        public List<List<Tensor>> runBranches(List<Graph> branches, List<Tensor> ins) {
            String base = (path.isEmpty() ? "" : path + "/") + node.displayName() + "/";
            List<String> paths = new ArrayList<>();
            List<List<Tensor>> out = new ArrayList<>();
            for (Graph g : branches) {
                String name = g.name().isEmpty() ? "branch" : g.name();
                String p = base + name;
                for (int k = 2; paths.contains(p); k++) {
                    p = base + name + "#" + k; // two branches of one name must stay apart
                }
                paths.add(p);
                if (evaluations + g.nodes().size() > budget) {
                    out.add(skip(g, p));
                } else {
                    out.add(run(g, scope, ins, runs, p)); // as if taken; the estimate takes the range
                }
            }
            if (runs.isZero()) {
                return out; // inside a branch that does not run: nothing to decide, no range, no note
            }
            String cond = node.inputs().isEmpty() ? "" : node.inputs().get(0);
            NodeResult producer = cond.isEmpty() ? null : scope.producer(cond);
            String by = Deciders.describe(cond, producer, storedThroughIdentity(cond, scope) != null);
            alternatives.put(path + "\u0000" + node.displayName(), new Alternative(path, node.displayName(), paths, by));
            notes.add("If '" + node.displayName() + "' is undecided: its condition depends on " + by
                    + Deciders.hint(by, "V") + "; compute is given as the range over its branches");
            return out;
        }
    }
}
