package dev.modeltally.report.html;

import dev.modeltally.analysis.Formula;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Expr;
import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost formula of a model page (when an input dim is symbolic): the expressions, and MACs and
 * peak memory plotted against the main symbol (the non-batch symbol of highest degree in the MACs;
 * the other dims of its input follow it, batch and other symbols are 1). Each curve has its own
 * scale, its maximum written at its end.
 */
final class FormulaSection {

    private static final int POINTS = 48;
    private static final long FROM = 16;
    private static final long TO = 1024;

    private FormulaSection() {
    }

    static void render(Html h, Report r) {
        Formula f = r.compute() == null ? null : r.compute().formula();
        if (f == null) {
            return;
        }
        h.open("section", "id", "formula").el("h2", "Cost formula");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MACs", f.text(f.macs())});
        rows.add(new String[] {"FLOPs", f.text(f.flops()) + "  (2 × MACs)"});
        rows.add(new String[] {"other FLOPs", f.text(f.otherFlops())});
        rows.add(new String[] {"activations bytes", f.text(f.activationsBytes())});
        rows.add(new String[] {"peak bytes", f.text(f.peakBytes())});
        List<String> syms = new ArrayList<>();
        f.symbols().forEach(s -> syms.add(s.symbol() + " = " + s.where()));
        rows.add(new String[] {"symbols", String.join(", ", syms)});
        if (f.isPartial()) {
            rows.add(new String[] {"partial", f.partial().size() + " item(s) not covered, e.g. "
                    + (f.partial().get(0).node() == null ? "" : f.partial().get(0).node() + ": ")
                    + f.partial().get(0).reason()});
        }
        h.open("div", "class", "scroll");
        Table.pairs(h, "pairs formula", rows.toArray(new String[0][]));
        h.close("div");
        Formula.Symbol main = main(f);
        if (main != null && f.macs() != null && f.peakBytes() != null) {
            chart(h, f, main);
        }
        h.close("section").newline();
    }

    /** The non-batch symbol the MACs grow fastest in, else the first. */
    private static Formula.Symbol main(Formula f) {
        Formula.Symbol best = null;
        int degree = -1;
        for (Formula.Symbol s : f.symbols()) {
            int d = f.macs() == null ? 0 : f.macs().degreeIn(Expr.symbol(s.raw()));
            if (s.dim() != 0 && d > degree) {
                best = s;
                degree = d;
            }
        }
        return best != null ? best : f.symbols().isEmpty() ? null : f.symbols().get(0);
    }

    private static void chart(Html h, Formula f, Formula.Symbol main) {
        double[] xs = new double[POINTS];
        double[] macs = new double[POINTS];
        double[] peak = new double[POINTS];
        int n = 0;
        for (int i = 0; i < POINTS; i++) {
            long x = FROM + (TO - FROM) * i / (POINTS - 1);
            Map<String, Long> point = new HashMap<>();
            for (Formula.Symbol s : f.symbols()) {
                point.put(s.symbol(), s == main || (s.input().equals(main.input()) && s.dim() != 0) ? x : 1L);
            }
            try {
                xs[n] = x;
                macs[n] = Math.max(0, f.eval(f.macs(), point));
                peak[n] = Math.max(0, f.eval(f.peakBytes(), point));
                n++;
            } catch (ArithmeticException | IllegalArgumentException e) {
                // an overflowing point is not drawn
            }
        }
        if (n < 2) {
            return;
        }
        String axis = main.symbol() + " (" + main.where() + "; other symbols of that input follow it, "
                + "the rest are 1)";
        h.open("div", "class", "chart").open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "formula",
                "width", "100%", "height", "210", "role", "img", "aria-label", "MACs and peak bytes against " + axis)
                .newline();
        h.open("svg", "x", "4%", "y", "22", "width", "92%", "height", "150", "viewBox", "0 0 1000 1000",
                "preserveAspectRatio", "none");
        h.empty("rect", "class", "plot", "x", "0", "y", "0", "width", "1000", "height", "1000",
                "vector-effect", "non-scaling-stroke");
        h.empty("path", "class", "macs", "d", line(xs, macs, n), "fill", "none", "stroke", "#3367d6",
                "vector-effect", "non-scaling-stroke");
        h.empty("path", "class", "peak", "d", line(xs, peak, n), "fill", "none", "stroke", "#d63367",
                "stroke-dasharray", "6 4", "vector-effect", "non-scaling-stroke");
        h.close("svg").newline();
        h.el("text", "MACs (solid) up to " + Numbers.short_((long) macs[n - 1]) + ", peak (dashed) up to "
                + Numbers.bytes((long) peak[n - 1]), "x", "4%", "y", "14", "class", "scale");
        h.el("text", main.symbol() + " = " + (long) xs[0], "x", "4%", "y", "190");
        h.el("text", main.symbol() + " = " + (long) xs[n - 1], "x", "96%", "y", "190", "text-anchor", "end");
        h.el("text", axis, "x", "50%", "y", "205", "text-anchor", "middle", "class", "axis");
        h.close("svg").close("div").newline();
    }

    private static String line(double[] xs, double[] ys, int n) {
        double max = 1;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, ys[i]);
        }
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double x = 1000 * (xs[i] - xs[0]) / (xs[n - 1] - xs[0]);
            double y = 1000 - 1000 * ys[i] / max;
            d.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return d.toString();
    }
}
