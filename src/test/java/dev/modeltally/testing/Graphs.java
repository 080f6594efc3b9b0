package dev.modeltally.testing;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rewrites of IR graphs for tests. */
public final class Graphs {

    private Graphs() {
    }

    /**
     * The model with every value_info dropped and every graph output's shape unknown (subgraphs
     * too): what shape inference then finds comes from its rules alone.
     */
    public static Model withoutDeclaredShapes(Model m) {
        return new Model(m.format(), m.producer(), m.opsetOrVersion(), m.opsets(), strip(m.graph(), true),
                m.metadata(), m.findings(), m.hasGraph());
    }

    private static Graph strip(Graph g, boolean main) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.subgraphs().isEmpty()) {
                nodes.add(n);
                continue;
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            List<Graph> subs = new ArrayList<>();
            n.attrs().values().forEach((k, v) -> {
                if (v instanceof Graph sg) {
                    Graph s = strip(sg, false);
                    attrs.put(k, s);
                    subs.add(s);
                } else {
                    attrs.put(k, v);
                }
            });
            if (subs.isEmpty()) { // Keras nested models: the subgraph is the node's, not an attribute
                n.subgraphs().forEach(sg -> subs.add(strip(sg, false)));
            }
            nodes.add(new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), new Attributes(attrs), subs));
        }
        List<Value> outputs = new ArrayList<>();
        for (Value v : g.outputs()) {
            outputs.add(new Value(v.name(), v.dtype(), Shape.unknownRank()));
        }
        // subgraph inputs keep their declared shapes: for a Loop body they are part of the contract
        return new Graph(g.name(), g.inputs(), outputs, nodes, g.weights(), List.of());
    }
}
