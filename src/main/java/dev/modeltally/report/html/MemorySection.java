package dev.modeltally.report.html;

import dev.modeltally.analysis.Memory;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Memory section of a model page: the figures, and the bytes live at each step of the node order
 * as an inline SVG area with the peak marked. The area is drawn in a stretched inner viewBox (so it
 * fills any width) while the text stays in the outer, unstretched coordinates.
 */
final class MemorySection {

    /** Most points drawn; longer timelines keep each bucket's largest value, so the peak stays visible. */
    private static final int MAX_POINTS = 800;
    private static final int HEIGHT = 210;
    private static final int PLOT_TOP = 22;
    private static final int PLOT_HEIGHT = 150;
    private static final double PLOT_LEFT = 4;
    private static final double PLOT_WIDTH = 95;

    private MemorySection() {
    }

    static void render(Html h, Report r) {
        Memory m = r.memory();
        if (m == null) {
            return;
        }
        h.open("section", "id", "memory").el("h2", "Memory");
        String bound = m.lowerBound() ? "at least " : "";
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"peak", bound + bytes(m.peakBytes()) + (m.peakAt() == null ? "" : " at " + m.peakAt())});
        rows.add(new String[] {"activations", bound + bytes(m.activationsBytes()) + " (every node output once)"});
        rows.add(new String[] {"weights", bytes(m.weightsBytes())});
        if (m.constantsBytes() > 0) {
            rows.add(new String[] {"constants", bytes(m.constantsBytes())});
        }
        rows.add(new String[] {"inputs", bound + bytes(m.inputsBytes())});
        rows.add(new String[] {"outputs", bound + bytes(m.outputsBytes())});
        Memory.KvCache kv = m.kvCache();
        if (kv != null) {
            rows.add(new String[] {"KV cache per token", kv.bytesPerToken() < 0 ? "unknown (a dim is unresolved)"
                    : bytes(kv.bytesPerToken())});
            rows.add(new String[] {"KV cache", kv.bytes() < 0 ? "unknown" : bytes(kv.bytes())
                    + (kv.tokens() >= 0 ? " at " + Numbers.grouped(kv.tokens()) + " tokens" : "")});
        }
        h.open("div", "class", "scroll");
        Table.pairs(h, "pairs memory", rows.toArray(new String[0][]));
        h.close("div");
        String caption = "Bytes of the tensors live at each node, in the order the nodes run (weights apart; a "
                + "control-flow node includes its body's own peak).";
        if (m.lowerBound()) {
            caption += " Lower bound: " + m.unknownTensors() + " tensor(s) of unknown size count as 0.";
        }
        h.el("p", caption, "class", "caption");
        if (!m.live().isEmpty()) {
            chart(h, m);
        }
        h.close("section").newline();
    }

    private static void chart(Html h, Memory m) {
        List<Long> live = m.live();
        int n = live.size();
        int points = Math.min(n, MAX_POINTS);
        long[] v = new long[points];
        int peakStep = Math.max(0, m.steps().indexOf(m.peakAt()));
        for (int i = 0; i < n; i++) {
            int b = (int) ((long) i * points / n);
            v[b] = Math.max(v[b], live.get(i));
        }
        double max = Math.max(1, m.peakBytes());
        StringBuilder d = new StringBuilder("M0,1000");
        for (int i = 0; i < points; i++) {
            double y = 1000 - 1000 * v[i] / max;
            d.append(" L").append(num(1000.0 * i / points)).append(',').append(num(y))
                    .append(" L").append(num(1000.0 * (i + 1) / points)).append(',').append(num(y));
        }
        d.append(" L1000,1000 Z");
        double peakX = 1000.0 * ((long) peakStep * points / n + 0.5) / points;
        h.open("div", "class", "chart").open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "live",
                "width", "100%", "height", Integer.toString(HEIGHT), "role", "img",
                "aria-label", "bytes live over " + n + " nodes, peak " + Numbers.bytes(m.peakBytes())).newline();
        h.el("text", "0", "x", BarChart.pct(PLOT_LEFT - 1), "y", Integer.toString(PLOT_TOP + PLOT_HEIGHT),
                "text-anchor", "end");
        h.open("svg", "x", BarChart.pct(PLOT_LEFT), "y", Integer.toString(PLOT_TOP), "width", BarChart.pct(PLOT_WIDTH),
                "height", Integer.toString(PLOT_HEIGHT), "viewBox", "0 0 1000 1000", "preserveAspectRatio", "none");
        h.empty("rect", "class", "plot", "x", "0", "y", "0", "width", "1000", "height", "1000",
                "vector-effect", "non-scaling-stroke");
        h.empty("path", "class", "area", "d", d.toString(), "vector-effect", "non-scaling-stroke");
        h.empty("line", "class", "peak", "x1", num(peakX), "x2", num(peakX), "y1", "0", "y2", "1000",
                "vector-effect", "non-scaling-stroke");
        h.close("svg").newline();
        // the scale inside the plot's corner: a left margin wide enough for "123.4 MiB" would crowd a phone
        h.el("text", Numbers.bytes(m.peakBytes()), "x", BarChart.pct(PLOT_LEFT + 0.8), "y",
                Integer.toString(PLOT_TOP + 14), "class", "scale");
        double frac = peakX / 1000;
        double labelX = PLOT_LEFT + PLOT_WIDTH * frac;
        boolean right = frac > 0.6;
        h.el("text", "peak " + Numbers.bytes(m.peakBytes()) + " at " + m.peakAt(), "x",
                BarChart.pct(labelX + (right ? -0.5 : 0.5)), "y", Integer.toString(PLOT_TOP - 6), "class", "peak",
                "text-anchor", right ? "end" : "start");
        h.el("text", "node 1", "x", BarChart.pct(PLOT_LEFT), "y", Integer.toString(PLOT_TOP + PLOT_HEIGHT + 18));
        h.el("text", "node " + Numbers.grouped(n), "x", BarChart.pct(PLOT_LEFT + PLOT_WIDTH), "y",
                Integer.toString(PLOT_TOP + PLOT_HEIGHT + 18), "text-anchor", "end");
        h.el("text", "node order", "x", BarChart.pct(PLOT_LEFT + PLOT_WIDTH / 2), "y",
                Integer.toString(PLOT_TOP + PLOT_HEIGHT + 18), "text-anchor", "middle", "class", "axis");
        h.close("svg").close("div").newline();
    }

    private static String bytes(long n) {
        return Numbers.bytes(n) + " (" + Numbers.grouped(n) + " B)";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
