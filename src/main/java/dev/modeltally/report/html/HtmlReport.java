package dev.modeltally.report.html;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Value;
import dev.modeltally.report.Numbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model as a self-contained HTML page: headline figures, inputs and outputs, findings, charts
 * of parameters (and MACs, when estimated) per layer, compute by op type, the dtype breakdown and a
 * sortable table of layers. No network: style, script and charts are inline. Compute that was not estimated is
 * shown as such, never as 0.
 */
public final class HtmlReport {

    private static final int FINDINGS_PER_CODE = 20;
    private static final int METADATA_CHARS = 2_000;

    private HtmlReport() {
    }

    public static String render(Report r) {
        Html h = Page.start("modeltally · " + fileName(r.path()));
        h.open("header").el("h1", fileName(r.path())).open("p", "class", "path").path(r.path()).close("p");
        if (!r.failed()) {
            h.el("p", Headline.formatLine(r), "class", "meta");
        }
        h.close("header").newline().open("main").newline();
        if (r.failed()) {
            h.open("section", "class", "error-box").el("h2", "This file could not be read")
                    .el("p", r.error().kind() + ": " + r.error().message()).close("section");
        } else {
            Headline.render(h, r);
            inputsOutputs(h, r);
            findings(h, r.findings());
            List<Layer> layers = Layer.of(r);
            LayerSections.charts(h, r, layers);
            MemorySection.render(h, r);
            FormulaSection.render(h, r);
            LayerSections.byOpType(h, r.compute());
            Headline.dtypes(h, r.parameters());
            LayerSections.table(h, r, layers);
            metadata(h, r.metadata());
        }
        h.close("main").newline();
        return Page.finish(h);
    }

    static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    private static void inputsOutputs(Html h, Report r) {
        if (r.inputs().isEmpty() && r.outputs().isEmpty()) {
            return;
        }
        h.open("section", "id", "io").el("h2", "Inputs and outputs");
        h.open("div", "class", "scroll").open("table", "class", "io").open("thead").open("tr");
        for (String c : new String[] {"", "name", "dtype", "shape"}) {
            h.el("th", c, "scope", "col");
        }
        h.close("tr").close("thead").open("tbody");
        values(h, "input", r.inputs());
        values(h, "output", r.outputs());
        h.close("tbody").close("table").close("div").close("section").newline();
    }

    private static void values(Html h, String kind, List<Value> values) {
        for (Value v : values) {
            h.open("tr").el("td", kind, "class", "kind").el("td", v.name(), "class", "name")
                    .el("td", v.typeName()).el("td", v.type() == null ? v.shape().toString()
                            : dev.modeltally.report.ValueText.length(v), "class", "shape").close("tr");
        }
    }

    private static void findings(Html h, List<Finding> findings) {
        h.open("section", "id", "findings").el("h2", "Findings (" + findings.size() + ")");
        if (findings.isEmpty()) {
            h.el("p", "None.", "class", "none").close("section").newline();
            return;
        }
        h.open("div", "class", "scroll").open("table", "class", "findings").open("thead").open("tr");
        for (String c : new String[] {"severity", "code", "message", "where"}) {
            h.el("th", c, "scope", "col");
        }
        h.close("tr").close("thead").open("tbody").newline();
        Map<String, Integer> shown = new LinkedHashMap<>();
        Map<String, Integer> hidden = new TreeMap<>();
        for (Finding f : findings) {
            if (shown.merge(f.code(), 1, Integer::sum) > FINDINGS_PER_CODE) {
                hidden.merge(f.code(), 1, Integer::sum);
                continue;
            }
            String sev = f.severity().label();
            h.open("tr", "class", "sev-" + sev).open("td").el("span", sev, "class", "badge " + sev).close("td")
                    .el("td", f.code(), "class", "code").el("td", f.message(), "class", "message")
                    .el("td", f.where() == null ? "" : f.where(), "class", "name").close("tr").newline();
        }
        hidden.forEach((code, n) -> h.open("tr", "class", "more").el("td", "").el("td", code, "class", "code")
                .el("td", "… and " + n + " more (see --json)").el("td", "").close("tr").newline());
        h.close("tbody").close("table").close("div").close("section").newline();
    }

    private static void metadata(Html h, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        h.open("section", "id", "metadata").el("h2", "Metadata");
        List<String[]> rows = new ArrayList<>();
        new TreeMap<>(metadata).forEach((k, v) -> rows.add(new String[] {k, clip(v)}));
        h.open("div", "class", "scroll");
        Table.pairs(h, "pairs metadata", rows.toArray(new String[0][]));
        h.close("div").close("section").newline();
    }

    private static String clip(String v) {
        if (v.length() <= METADATA_CHARS) {
            return v;
        }
        int cut = Character.isHighSurrogate(v.charAt(METADATA_CHARS - 1)) ? METADATA_CHARS - 1 : METADATA_CHARS;
        return v.substring(0, cut) + " … (" + Numbers.grouped(v.length() - cut)
                + " more characters; see --json)";
    }
}
