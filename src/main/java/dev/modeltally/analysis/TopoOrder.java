package dev.modeltally.analysis;

import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Orders a graph's nodes so that every node comes after the producers of its inputs, including
 * values its subgraphs read from this graph. Kahn's algorithm, ties broken by file order, so an
 * already sorted graph keeps its order. Nodes on or behind a cycle are returned separately.
 */
final class TopoOrder {

    record Order(List<Node> sorted, List<Node> blocked) {
    }

    private final Map<Graph, Set<String>> freeNames = new HashMap<>();
    /** Orders and reads depend on the graph alone: one TopoOrder serves every pass over a model. */
    private final Map<Graph, Order> orders = new HashMap<>();
    private final Map<Node, Set<String>> reads = new HashMap<>();
    private final Map<PlanKey, MemoryEstimate.Plan> plans = new HashMap<>();

    private final Map<Graph, Set<Node>> members = new HashMap<>();

    /** The graph's nodes as a set. */
    Set<Node> members(Graph g) {
        return members.computeIfAbsent(g, k -> new HashSet<>(k.nodes()));
    }

    private record PlanKey(Graph g, String path, boolean aliased) {
    }

    /** The memory timeline's plan for these steps: the one made before when the steps' nodes are the same. */
    MemoryEstimate.Plan plan(Graph g, String path, boolean aliased, List<NodeResult> steps,
                             java.util.function.Supplier<MemoryEstimate.Plan> make) {
        PlanKey key = new PlanKey(g, path, aliased);
        MemoryEstimate.Plan p = plans.get(key);
        if (p != null && p.nodes.size() == steps.size()) {
            boolean same = true;
            for (int i = 0; i < steps.size() && same; i++) {
                same = p.nodes.get(i) == steps.get(i).node();
            }
            if (same) {
                return p;
            }
        }
        p = make.get();
        plans.put(key, p);
        return p;
    }

    Order order(Graph g) {
        Order o = orders.get(g);
        if (o == null) {
            o = sort(g);
            orders.put(g, o);
        }
        return o;
    }

    private Order sort(Graph g) {
        List<Node> nodes = g.nodes();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).outputs()) {
                if (!out.isEmpty()) {
                    producer.putIfAbsent(out, i);
                }
            }
        }
        int[] indegree = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>(2));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> deps = new HashSet<>();
            for (String name : reads(nodes.get(i))) {
                Integer p = producer.get(name);
                if (p != null) {
                    deps.add(p);
                }
            }
            indegree[i] = deps.size();
            for (int p : deps) {
                consumers.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.size());
        boolean[] done = new boolean[nodes.size()];
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done[i] = true;
            sorted.add(nodes.get(i));
            for (int c : consumers.get(i)) {
                if (--indegree[c] == 0) {
                    ready.add(c);
                }
            }
        }
        List<Node> blocked = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!done[i]) {
                blocked.add(nodes.get(i));
            }
        }
        return new Order(sorted, blocked);
    }

    /** The names a node reads: its inputs and whatever its subgraphs take from enclosing scopes. */
    Set<String> reads(Node n) {
        Set<String> cached = reads.get(n);
        if (cached == null) {
            cached = readsOf(n);
            reads.put(n, cached);
        }
        return cached;
    }

    private Set<String> readsOf(Node n) {
        Set<String> names = new HashSet<>();
        for (String in : n.inputs()) {
            if (!in.isEmpty()) {
                names.add(in);
            }
        }
        for (Graph sub : n.subgraphs()) {
            names.addAll(free(sub));
        }
        return names;
    }

    /** Names a graph uses but does not define (its nodes' outputs, inputs and weights). */
    private Set<String> free(Graph g) {
        Set<String> cached = freeNames.get(g);
        if (cached != null) {
            return cached;
        }
        Set<String> defined = new HashSet<>(g.weights().keySet());
        for (Value v : g.inputs()) {
            defined.add(v.name());
        }
        for (Node n : g.nodes()) {
            defined.addAll(n.outputs());
        }
        Set<String> used = new HashSet<>();
        for (Node n : g.nodes()) {
            used.addAll(reads(n));
        }
        used.removeAll(defined);
        freeNames.put(g, used);
        return used;
    }
}
