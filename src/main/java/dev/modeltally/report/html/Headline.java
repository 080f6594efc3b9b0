package dev.modeltally.report.html;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.Parameters;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.DType;
import dev.modeltally.report.Numbers;
import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The figures at the top of a model page, and its dtype breakdown. */
final class Headline {

    private Headline() {
    }

    static String formatLine(Report r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.format());
        if (r.metadata().containsKey("ir_version")) {
            parts.add("ir " + r.metadata().get("ir_version"));
        }
        if (!r.opsets().isEmpty()) {
            List<String> opsets = new ArrayList<>();
            r.opsets().forEach((d, v) -> opsets.add(d + " " + v));
            parts.add("opset " + String.join(", ", opsets));
        } else if (r.opset() != null && !r.opset().isEmpty()) {
            parts.add("version " + r.opset());
        }
        if (r.producer() != null && !r.producer().isEmpty()) {
            parts.add("made by " + r.producer());
        }
        return String.join(" · ", parts);
    }

    /** Why there are no compute figures, in one sentence. */
    static String computeNote(Report r) {
        if (r.compute() != null) {
            return "";
        }
        return r.hasGraph() ? "Compute was not estimated (shape inference did not complete, see the findings): "
                + "MACs and output shapes are unknown." : "The file has no graph (weights only): compute is unknown.";
    }

    static void render(Html h, Report r) {
        Parameters p = r.parameters();
        h.open("section", "id", "headline", "class", "cards").newline();
        card(h, "parameters", "Parameters", Numbers.grouped(p.total()),
                Numbers.short_(p.total()) + " in " + Numbers.grouped(p.tensors()) + " tensors");
        card(h, "trainable", "Trainable", Numbers.grouped(p.trainable()), Numbers.percent(p.trainable(), p.total()));
        card(h, "non-trainable", "Non-trainable", Numbers.grouped(p.nonTrainable()),
                Numbers.percent(p.nonTrainable(), p.total()));
        card(h, "bytes", "Stored bytes", Numbers.bytes(p.bytes()), Numbers.grouped(p.bytes()) + " bytes");
        h.close("section").newline();
        Compute c = r.compute();
        h.open("section", "id", "compute", "class", "cards").newline();
        if (c == null) {
            String why = r.hasGraph() ? "shape inference did not complete (see findings)" : "no graph: weights only";
            card(h, "macs not-estimated", "MACs", "not estimated", why);
            card(h, "flops not-estimated", "FLOPs", "not estimated", why);
        } else {
            figure(h, "macs", "MACs", c.macs(), Numbers.grouped(c.macs()), c);
            figure(h, "flops", "FLOPs", c.flops(), "2 × MACs: " + Numbers.grouped(c.flops()), c);
            figure(h, "other-flops", "Other FLOPs", c.otherFlops(),
                    "bias, normalisation, activations, pooling: " + Numbers.grouped(c.otherFlops()), c);
            Compute.Coverage cov = c.coverage();
            card(h, cov.complete() ? "coverage" : "coverage partial", "Coverage",
                    cov.shapesResolved() + " / " + cov.nodes(), coverageDetail(cov));
        }
        h.close("section").newline();
        h.el("p", "Constants (integer, bool and string tensors; not parameters): "
                + Numbers.grouped(r.constants().elements()) + " elements in " + r.constants().tensors() + " tensors, "
                + Numbers.bytes(r.constants().bytes()) + ".", "class", "caption constants");
        if (c != null) {
            if (!c.inputs().isEmpty()) {
                List<String> shapes = new ArrayList<>();
                c.inputs().forEach(v -> shapes.add(v.name() + " " + v.shape()));
                list(h, "Estimated at inputs: ", shapes);
            }
            list(h, "Assumed: ", c.assumed());
            list(h, "Unresolved: ", c.notes());
        }
    }

    private static void list(Html h, String label, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        h.open("p", "class", "assumed").text(label);
        for (int i = 0; i < items.size(); i++) {
            h.text(i == 0 ? "" : "; ").el("code", items.get(i));
        }
        h.close("p").newline();
    }

    private static String coverageDetail(Compute.Coverage cov) {
        StringBuilder s = new StringBuilder("nodes with resolved shapes");
        if (cov.opsWithoutRule().isEmpty()) {
            s.append("; every op has a rule");
        } else {
            List<String> ops = new ArrayList<>();
            new TreeMap<>(cov.opsWithoutRule()).forEach((op, n) -> ops.add(op + " ×" + n));
            s.append("; no rule for ").append(String.join(", ", ops));
        }
        if (cov.costUnknown() > 0) {
            s.append("; ").append(cov.costUnknown()).append(" not counted");
        }
        if (cov.notExecuted() > 0) {
            s.append("; ").append(cov.notExecuted()).append(" in untaken If branches");
        }
        return s.append(cov.complete() ? "" : " (figures are lower bounds)").toString();
    }

    /**
     * A compute figure; a lower bound is marked ≥, and a lower bound of 0 (nothing countable was
     * counted) is shown as unknown rather than as 0.
     */
    private static void figure(Html h, String cls, String label, long value, String detail, Compute c) {
        if (c.range() != null && (label.equals("MACs") || label.equals("FLOPs"))) {
            boolean flops = label.equals("FLOPs");
            long lo = flops ? c.range().flopsMin() : c.range().macsMin();
            Count hi = flops ? c.range().flopsMax() : c.range().macsMax();
            card(h, cls, label, Numbers.short_(lo) + " – " + (hi.known() ? Numbers.short_(hi.value()) : "?"),
                    "range over undecided If branches (see notes)");
            return;
        }
        if (!c.lowerBound()) {
            card(h, cls, label, Numbers.short_(value), detail);
        } else if (value == 0) {
            card(h, cls + " not-estimated", label, "unknown",
                    c.coverage().costUnknown() + " nodes could not be counted (see unresolved)");
        } else {
            card(h, cls, label, "≥ " + Numbers.short_(value), "at least " + detail);
        }
    }

    private static void card(Html h, String cls, String label, String value, String detail) {
        h.open("div", "class", "card " + cls).el("div", label, "class", "label").el("div", value, "class", "value")
                .el("div", detail, "class", "detail").close("div").newline();
    }

    static void dtypes(Html h, Parameters p) {
        if (p.byDtype().isEmpty()) {
            return;
        }
        h.open("section", "id", "dtypes").el("h2", "Parameters by dtype");
        Map<String, Long> byDtype = new TreeMap<>(p.byDtype());
        long sum = byDtype.values().stream().mapToLong(Long::longValue).sum();
        h.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "stack", "width", "100%", "height", "16",
                "role", "img", "aria-label", "share of parameters per dtype");
        double x = 0;
        int i = 0;
        for (Map.Entry<String, Long> e : byDtype.entrySet()) {
            double w = sum <= 0 ? 0 : 100.0 * e.getValue() / sum;
            h.open("rect", "class", "c" + (i++ % 8), "x", BarChart.pct(x), "y", "0", "width", BarChart.pct(w),
                    "height", "16");
            h.el("title", e.getKey() + ": " + Numbers.grouped(e.getValue()) + " (" + Numbers.percent(e.getValue(), sum)
                    + ")");
            h.close("rect");
            x += w;
        }
        h.close("svg").newline();
        h.open("div", "class", "scroll").open("table", "class", "dtypes").open("thead").open("tr");
        for (String c : new String[] {"dtype", "parameters", "share", "bytes"}) {
            h.el("th", c, "scope", "col", "class", c.equals("dtype") ? null : "num");
        }
        h.close("tr").close("thead").open("tbody");
        i = 0;
        for (Map.Entry<String, Long> e : byDtype.entrySet()) {
            h.open("tr").open("td").open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", "12", "height", "12",
                    "aria-hidden", "true").empty("rect", "class", "c" + (i++ % 8), "width", "12", "height", "12")
                    .close("svg").text(" " + e.getKey()).close("td");
            Table.count(h, e.getValue());
            Table.share(h, e.getValue(), sum);
            Long bytes = bytes(e.getKey(), e.getValue());
            h.el("td", bytes == null ? "unknown" : Numbers.bytes(bytes), "class", "num");
            h.close("tr");
        }
        h.close("tbody").close("table").close("div").close("section").newline();
    }

    private static Long bytes(String dtype, long elements) {
        try {
            return DType.valueOf(dtype).bytesFor(elements);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }
}
