package dev.modeltally.report.html;

import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parameters (x) against FLOPs (y) on log scales, one point per file, as inline SVG. Files whose
 * FLOPs are not known sit in a separate band under the plot at their parameter count, so they are
 * seen without being drawn as "0 FLOPs". A count of exactly 0 gets its own tick left of (or under)
 * the first decade, since a log scale has no place for it.
 */
final class ScatterChart {

    /** One file; {@code flops} null when not estimated. {@code series} picks the colour. */
    record Point(String label, long params, Long flops, int series) {
    }

    private static final int W = 800;
    private static final int LEFT = 74;
    private static final int RIGHT = 785;
    private static final int TOP = 14;
    private static final int GUTTER = 26;

    private ScatterChart() {
    }

    static void render(Html h, List<Point> points, List<String> seriesNames) {
        List<Point> known = new ArrayList<>();
        List<Point> unknown = new ArrayList<>();
        for (Point p : points) {
            (p.flops() == null ? unknown : known).add(p);
        }
        int plotHeight = known.isEmpty() ? 40 : 280;
        int bottom = TOP + plotHeight;
        int band = unknown.isEmpty() ? 0 : 44;
        int height = bottom + 34 + band + 30;
        Axis x = Axis.of(points.stream().mapToLong(Point::params).toArray(), LEFT, RIGHT);
        Axis y = Axis.of(known.stream().mapToLong(p -> p.flops()).toArray(), bottom, TOP);

        h.open("div", "class", "chart scatter-wrap").open("svg", "xmlns", "http://www.w3.org/2000/svg", "class",
                "scatter", "viewBox", "0 0 " + W + " " + height, "role", "img", "aria-label",
                "parameters against FLOPs, " + points.size() + " files, log scales").newline();
        h.empty("rect", "class", "plot", "x", num(LEFT), "y", num(TOP), "width", num(RIGHT - LEFT), "height",
                num(plotHeight));
        for (Axis.Tick t : x.ticks()) {
            h.empty("line", "class", "grid", "x1", num(t.at()), "x2", num(t.at()), "y1", num(TOP), "y2",
                    num(bottom + band));
            h.el("text", t.label(), "class", "tick", "x", num(t.at()), "y", num(bottom + band + 18),
                    "text-anchor", "middle");
        }
        if (known.isEmpty()) {
            h.el("text", "no file has a FLOPs estimate", "class", "note", "x", num((LEFT + RIGHT) / 2.0), "y",
                    num(TOP + 25), "text-anchor", "middle");
        } else {
            for (Axis.Tick t : y.ticks()) {
                h.empty("line", "class", "grid", "x1", num(LEFT), "x2", num(RIGHT), "y1", num(t.at()), "y2",
                        num(t.at()));
                h.el("text", t.label(), "class", "tick", "x", num(LEFT - 6), "y", num(t.at() + 4), "text-anchor",
                        "end");
            }
            h.el("text", "FLOPs", "class", "axis", "x", "14", "y", num((TOP + bottom) / 2.0), "text-anchor",
                    "middle", "transform", "rotate(-90 14 " + num((TOP + bottom) / 2.0) + ")");
        }
        if (band > 0) {
            h.empty("rect", "class", "band", "x", num(LEFT), "y", num(bottom + 6), "width", num(RIGHT - LEFT),
                    "height", num(band - 12));
            h.el("text", "FLOPs", "class", "tick", "x", num(LEFT - 6), "y", num(bottom + band / 2.0 - 2),
                    "text-anchor", "end");
            h.el("text", "unknown", "class", "tick", "x", num(LEFT - 6), "y", num(bottom + band / 2.0 + 11),
                    "text-anchor", "end");
        }
        h.el("text", "parameters", "class", "axis", "x", num((LEFT + RIGHT) / 2.0), "y", num(height - 6),
                "text-anchor", "middle");
        h.newline();
        int i = 0;
        for (Point p : points) {
            double cx = x.at(p.params());
            double cy = p.flops() == null ? bottom + 12 + (i++ % 4) * 7 : y.at(p.flops());
            h.open("circle", "class", "pt s" + p.series(), "cx", num(cx), "cy", num(cy), "r", "5");
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

    /** A log10 axis over whole decades, with a separate position for 0. */
    record Axis(int lo, int hi, double from, double to, boolean zero) {

        record Tick(double at, String label) {
        }

        static Axis of(long[] values, double from, double to) {
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
                return new Axis(0, 1, from, to, zero);
            }
            int lo = (int) Math.floor(Math.log10(min));
            int hi = (int) Math.ceil(Math.log10(max));
            if (hi <= lo) {
                hi = lo + 1;
            }
            return new Axis(lo, hi, from, to, zero);
        }

        /** Where a value goes; the zero position is one gutter before the first decade. */
        double at(long v) {
            return v <= 0 ? from : atLog(Math.log10(v));
        }

        private double atLog(double log) {
            double start = zero ? from + Math.signum(to - from) * GUTTER : from;
            return start + (log - lo) / (hi - lo) * (to - start);
        }

        List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            if (zero) {
                ticks.add(new Tick(from, "0"));
            }
            int step = hi - lo > 10 ? 2 : 1;
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
