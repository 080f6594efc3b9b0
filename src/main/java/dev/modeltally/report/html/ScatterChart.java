package dev.modeltally.report.html;

import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parameters (x) against FLOPs (y) on log scales, one point per file, as inline SVG. Horizontal
 * positions are percentages and text keeps its pixel size, so the chart fits any width; the
 * FLOPs labels sit inside the plot on their grid lines instead of in a margin. Files whose FLOPs
 * are not known sit in a separate band under the plot at their parameter count, so they are seen
 * without being drawn as "0 FLOPs". A count of exactly 0 gets its own tick before the first
 * decade, since a log scale has no place for it.
 */
final class ScatterChart {

    /** One file; {@code flops} null when not estimated. {@code series} picks the colour. */
    record Point(String label, long params, Long flops, int series) {
    }

    /** Horizontal padding, in percent of the width, so edge points and labels are not cut. */
    private static final double PAD = 3;
    private static final double ZERO_GUTTER = 4;
    private static final int TOP = 22;
    private static final int PLOT = 260;
    private static final int ZERO_GUTTER_PX = 24;
    private static final int BAND = 40;

    private ScatterChart() {
    }

    static void render(Html h, List<Point> points, List<String> seriesNames) {
        List<Point> known = new ArrayList<>();
        List<Point> unknown = new ArrayList<>();
        for (Point p : points) {
            (p.flops() == null ? unknown : known).add(p);
        }
        int bottom = known.isEmpty() ? 0 : TOP + PLOT;
        int bandTop = bottom + 24;
        int axis = unknown.isEmpty() ? bottom + 18 : bandTop + BAND + 18;
        int height = axis + 26;
        Axis x = Axis.of(points.stream().mapToLong(Point::params).toArray(), PAD, 100 - PAD, ZERO_GUTTER);
        Axis y = Axis.of(known.stream().mapToLong(p -> p.flops()).toArray(), bottom, TOP, -ZERO_GUTTER_PX);

        h.open("div", "class", "chart").open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "scatter",
                "width", "100%", "height", num(height), "role", "img", "aria-label",
                "parameters against FLOPs, " + points.size() + " files, log scales").newline();
        for (Axis.Tick t : x.ticks()) {
            h.empty("line", "class", "grid", "x1", pct(t.at()), "x2", pct(t.at()), "y1", num(known.isEmpty() ? bandTop
                    : TOP), "y2", num(axis - 14));
            h.el("text", t.label(), "class", "tick", "x", pct(t.at()), "y", num(axis), "text-anchor", "middle");
        }
        if (!known.isEmpty()) {
            h.empty("rect", "class", "plot", "x", pct(0.5), "y", num(TOP), "width", pct(99), "height", num(PLOT));
            for (Axis.Tick t : y.ticks()) {
                h.empty("line", "class", "grid", "x1", pct(0.5), "x2", pct(99.5), "y1", num(t.at()), "y2",
                        num(t.at()));
                h.el("text", t.label(), "class", "tick", "x", "1%", "y", num(t.at() - 3));
            }
            h.el("text", "FLOPs", "class", "axis", "x", "1%", "y", "14");
        }
        if (!unknown.isEmpty()) {
            h.el("text", known.isEmpty() ? "FLOPs not estimated" : "FLOPs not estimated for these files", "class",
                    "axis", "x", "1%", "y", num(bandTop - 6));
            h.empty("rect", "class", "band", "x", pct(0.5), "y", num(bandTop), "width", pct(99), "height", num(BAND));
        }
        h.el("text", "parameters", "class", "axis", "x", "50%", "y", num(height - 4), "text-anchor", "middle");
        h.newline();
        int i = 0;
        for (Point p : points) {
            double cy = p.flops() == null ? bandTop + 8 + (i++ % 4) * 8 : y.at(p.flops());
            h.open("circle", "class", "pt s" + p.series(), "cx", pct(x.at(p.params())), "cy", num(cy), "r", "5");
            String flops = p.flops() == null ? "FLOPs not estimated" : Numbers.grouped(p.flops()) + " FLOPs";
            h.el("title", p.label() + ": " + Numbers.grouped(p.params()) + " parameters, " + flops);
            h.close("circle").newline();
        }
        h.close("svg").close("div").newline();
        legend(h, seriesNames);
    }

    private static void legend(Html h, List<String> seriesNames) {
        h.open("p", "class", "legend");
        for (int s = 0; s < seriesNames.size(); s++) {
            h.open("span", "class", "key");
            h.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", "12", "height", "12", "aria-hidden", "true")
                    .empty("circle", "class", "pt s" + s, "cx", "6", "cy", "6", "r", "5").close("svg");
            h.text(" " + seriesNames.get(s)).close("span").text(" ");
        }
        h.close("p").newline();
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double v) {
        return BarChart.pct(v);
    }

    /**
     * A log10 axis over whole decades from {@code from} to {@code to} (percent or pixels, either
     * direction); when some value is 0, that value sits at {@code from} and the decades start one
     * {@code gutter} further on.
     */
    record Axis(int lo, int hi, double from, double to, double gutter, boolean zero) {

        record Tick(double at, String label) {
        }

        static Axis of(long[] values, double from, double to, double gutter) {
            long min = Long.MAX_VALUE;
            long max = 0;
            boolean zero = false;
            for (long v : values) {
                if (v <= 0) {
                    zero = true;
                } else {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (max == 0) {
                return new Axis(0, 1, from, to, gutter, zero);
            }
            int lo = (int) Math.floor(Math.log10(min));
            int hi = (int) Math.ceil(Math.log10(max));
            if (hi <= lo) {
                hi = lo + 1;
            }
            return new Axis(lo, hi, from, to, gutter, zero);
        }

        double at(long v) {
            return v <= 0 ? from : atLog(Math.log10(v));
        }

        private double atLog(double log) {
            double start = zero ? from + gutter : from;
            return start + (log - lo) / (hi - lo) * (to - start);
        }

        List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            if (zero) {
                ticks.add(new Tick(from, "0"));
            }
            int step = hi - lo > 8 ? 2 : 1;
            for (int d = lo; d <= hi; d += step) {
                ticks.add(new Tick(atLog(d), decade(d)));
            }
            return ticks;
        }

        /** 1, 10, 100, 1K, 10K, ... 100E. */
        static String decade(int d) {
            String[] units = {"", "K", "M", "G", "T", "P", "E"};
            return "1" + "0".repeat(d % 3) + units[d / 3];
        }
    }
}
