package dev.modeltally.report.html;

import dev.modeltally.report.Numbers;
import java.util.List;
import java.util.Locale;

/**
 * Horizontal bars as inline SVG. Horizontal positions are percentages of the page width and text
 * keeps its pixel size, so the chart fits a phone and a wide screen alike without tiny labels.
 * Labels are right-aligned and clipped to their column by a nested {@code <svg>}; the full name is
 * in the tooltip.
 */
final class BarChart {

    private static final int ROW = 22;
    private static final int TOP = 4;
    private static final double LABEL = 30;
    private static final double BAR_START = 31;
    private static final double BAR_SPAN = 52;
    /** A bar longer than this fraction of the span carries its value inside. */
    private static final double INSIDE = 0.62;
    private static final int LABEL_CHARS = 48;

    private BarChart() {
    }

    /**
     * @param what  "parameters" or "MACs", for tooltips and the accessible name
     * @param total what shares are shares of (the model's total, not the sum of the bars)
     * @param kind  CSS class of the bars
     */
    static void render(Html h, List<Blocks.Bar> bars, long total, String what, String kind) {
        long max = 1;
        for (Blocks.Bar b : bars) {
            max = Math.max(max, b.value());
        }
        int height = TOP * 2 + ROW * bars.size();
        h.open("div", "class", "chart").open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "bars " + kind,
                "width", "100%", "height", Integer.toString(height), "role", "img",
                "aria-label", what + " per layer, " + bars.size() + " bars").newline();
        int y = TOP;
        for (Blocks.Bar b : bars) {
            double frac = (double) b.value() / max;
            double width = b.value() == 0 ? 0 : Math.max(0.15, frac * BAR_SPAN);
            String share = Numbers.percent(b.value(), total);
            String value = Numbers.short_(b.value()) + " · " + share;
            h.open("g", "class", "bar");
            h.el("title", b.detail() + ": " + Numbers.grouped(b.value()) + " " + what + " (" + share + ")");
            // right-aligned, so a narrow column clips the common start of names, not their distinctive end
            h.open("svg", "x", "0", "y", Integer.toString(y), "width", pct(LABEL), "height", Integer.toString(ROW));
            h.el("text", shorten(b.label()), "x", "100%", "y", "15", "class", "label", "text-anchor", "end");
            h.close("svg");
            h.empty("rect", "x", pct(BAR_START), "y", Integer.toString(y + 4), "width", pct(width), "height", "14",
                    "rx", "2");
            boolean inside = frac > INSIDE;
            h.open("svg", "x", pct(BAR_START + width), "y", Integer.toString(y), "width", "1", "height",
                    Integer.toString(ROW), "overflow", "visible");
            h.el("text", value, "x", inside ? "-5" : "5", "y", "15", "class", inside ? "value inside" : "value",
                    "text-anchor", inside ? "end" : "start");
            h.close("svg").close("g").newline();
            y += ROW;
        }
        h.close("svg").close("div").newline();
    }

    /** Long names keep their start and their distinctive end. */
    static String shorten(String s) {
        if (s.codePointCount(0, s.length()) <= LABEL_CHARS) {
            return s;
        }
        int head = s.offsetByCodePoints(0, 16);
        int tail = s.offsetByCodePoints(s.length(), -(LABEL_CHARS - 17));
        return s.substring(0, head) + "…" + s.substring(tail);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }
}
