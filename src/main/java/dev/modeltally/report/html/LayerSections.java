package dev.modeltally.report.html;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The per-layer parts of a model page: bar charts, compute by op type, the layer table. */
final class LayerSections {

    /** Beyond this many layers the charts show blocks of layers grouped by name. */
    static final int MAX_BARS = 60;
    /** The table stops here; the JSON report has every layer. */
    static final int MAX_ROWS = 10_000;

    private LayerSections() {
    }

    static void charts(Html h, Report r, List<Layer> layers) {
        h.open("section", "id", "charts").el("h2", "Where the parameters are");
        Map<String, String> firstWeight = new HashMap<>();
        for (NodeParams n : r.nodes()) {
            if (!n.weights().isEmpty()) {
                firstWeight.putIfAbsent(n.name(), n.weights().get(0));
            }
        }
        List<Blocks.Item> params = new ArrayList<>();
        for (Layer l : layers) {
            if (l.parameters() > 0) {
                params.add(new Blocks.Item(l.name(), firstWeight.getOrDefault(l.name(), l.name()), l.parameters()));
            }
        }
        if (params.isEmpty()) {
            h.el("p", r.hasGraph() ? "No layer holds parameters." : "No per-layer breakdown: the file has no graph.",
                    "class", "none");
        } else {
            chart(h, params, r.parameters().total(), "parameters", "params", "");
        }
        Compute c = r.compute();
        if (c != null) {
            h.el("h2", "Where the compute is");
            List<Blocks.Item> macs = new ArrayList<>();
            for (Layer l : layers) {
                if (l.macs() != null && l.macs() > 0) {
                    macs.add(new Blocks.Item(l.name(), firstWeight.getOrDefault(l.name(), l.name()), l.macs()));
                }
            }
            String bound = c.range() != null ? " An If is undecided: the totals count its cheapest branch; "
                    + "MACs range from " + Numbers.grouped(c.range().macsMin()) + " to "
                    + (c.range().macsMax().known() ? Numbers.grouped(c.range().macsMax().value()) : "an unknown figure")
                    + " over its branches (see notes)."
                    : c.lowerBound() ? " The totals are lower bounds: " + c.coverage().costUnknown()
                    + " node(s) could not be counted (see coverage)." : "";
            if (macs.isEmpty()) {
                h.el("p", "No layer has multiply-accumulates." + bound, "class", "none");
            } else {
                chart(h, macs, c.macs(), "MACs", "macs", bound);
            }
        }
        h.close("section").newline();
    }

    private static void chart(Html h, List<Blocks.Item> items, long total, String what, String kind, String more) {
        List<Blocks.Bar> bars = Blocks.of(items, MAX_BARS);
        String caption = Blocks.folds(items, MAX_BARS)
                ? what + " of " + items.size() + " layers in " + bars.size()
                        + " blocks of consecutive layers (grouped by name); hover a bar for its layers."
                : what + " per layer, in model order; share of the model's total.";
        h.el("p", caption + more, "class", "caption");
        BarChart.render(h, bars, total, what, kind);
    }

    /** MACs and other FLOPs per op type, largest first. */
    static void byOpType(Html h, Compute c) {
        if (c == null || c.byOpType().isEmpty()) {
            return;
        }
        h.open("section", "id", "op-types").el("h2", "Compute by op type");
        Table.start(h, "op-table", new String[] {"op type", "nodes", "MACs", "share", "other FLOPs", "not counted"},
                "tnnnnn");
        List<Map.Entry<String, Compute.OpTypeCompute>> types = new ArrayList<>(c.byOpType().entrySet());
        types.sort(Comparator.comparingLong((Map.Entry<String, Compute.OpTypeCompute> e) -> e.getValue().macs())
                .reversed().thenComparing(e -> -e.getValue().otherFlops()).thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, Compute.OpTypeCompute> e : types) {
            Compute.OpTypeCompute t = e.getValue();
            h.open("tr", "class", t.unknown() > 0 ? "partial" : null).el("td", e.getKey(), "class", "op");
            Table.count(h, t.nodes());
            Table.count(h, t.macs());
            Table.share(h, t.macs(), c.macs());
            Table.count(h, t.otherFlops());
            Table.count(h, t.unknown());
            h.close("tr").newline();
        }
        Table.end(h);
        h.el("p", "FLOPs = 2 × MACs. Other FLOPs (bias, normalisation, activations, pooling, softmax, "
                + "elementwise) are kept apart. Nodes not counted make the figures lower bounds.", "class", "caption");
        h.close("section").newline();
    }

    static void table(Html h, Report r, List<Layer> layers) {
        boolean all = Layer.fromCompute(r);
        h.open("section", "id", "layers").el("h2", (all ? "Nodes (" : "Layers (") + layers.size() + ")");
        if (layers.isEmpty()) {
            h.el("p", "None recorded.", "class", "none").close("section").newline();
            return;
        }
        h.el("p", all ? "Every node in evaluation order, subgraph nodes included. MACs are over all runs of a node; "
                + "unknown means it could not be counted."
                : "Layers that hold parameters. " + Headline.computeNote(r), "class", "caption");
        h.empty("input", "type", "search", "class", "filter", "data-table", "layer-table", "placeholder",
                "filter by name or op", "aria-label", "filter layers by name or op");
        Table.start(h, "layer-table", all
                ? new String[] {"#", "name", "op", "output shape", "parameters", "share", "MACs", "MACs share"}
                : new String[] {"#", "name", "op", "parameters", "share"}, all ? "ntttnnnn" : "nttnn");
        long totalMacs = r.compute() == null ? 0 : r.compute().macs();
        for (Layer l : layers.subList(0, Math.min(layers.size(), MAX_ROWS))) {
            h.open("tr");
            Table.count(h, l.index());
            h.open("td", "class", "name").path(l.name());
            if (!l.graph().isEmpty()) {
                h.el("span", "in " + l.graph(), "class", "sub");
            }
            if (l.runs() == null || l.runs() != 1) {
                h.el("span", "runs " + (l.runs() == null ? "an unknown number of times" : "×" + Numbers.grouped(l.runs())),
                        "class", "sub");
            }
            h.close("td").open("td", "class", "op").text(l.op());
            if (!l.hasRule()) {
                h.el("span", "no rule", "class", "sub warn");
            }
            h.close("td");
            if (all) {
                h.el("td", l.outputShape() == null ? "unknown" : l.outputShape(),
                        "class", l.outputShape() == null ? "shape unknown" : "shape");
            }
            Table.count(h, l.parameters());
            Table.share(h, l.parameters(), r.parameters().total());
            if (all) {
                Table.count(h, l.macs(), "unknown");
                if (l.macs() == null) {
                    h.el("td", "", "class", "num");
                } else {
                    Table.share(h, l.macs(), totalMacs);
                }
            }
            h.close("tr").newline();
        }
        Table.end(h);
        if (layers.size() > MAX_ROWS) {
            h.el("p", "The first " + Numbers.grouped(MAX_ROWS) + " of " + Numbers.grouped(layers.size())
                    + (all ? " nodes" : " layers") + " are listed; --json lists them all.", "class", "caption");
        }
        h.close("section").newline();
    }
}
