package dev.modeltally.report.html;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Severity;
import dev.modeltally.report.Numbers;
import dev.modeltally.report.ScanRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scan as one self-contained HTML page: totals, totals by format, parameters against FLOPs
 * across the files, and a sortable table of every file with errors and findings highlighted.
 * Rows are added as the scan produces them; only their headline figures are kept.
 */
public final class HtmlScanReport {

    private static final String UNREADABLE = "unreadable";
    private static final int CODES_PER_ROW = 4;
    private static final int INLINE_LIST = 12;
    /** Sorts an unreadable file after every readable one, however many findings it has. */
    private static final String UNREADABLE_RANK = "1e18";

    private record Row(ScanRow figures, Severity worst, String codes) {
    }

    private final List<Row> rows = new ArrayList<>();

    public void add(Report r) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            codes.merge(f.code(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        codes.forEach((code, n) -> parts.add(n == 1 ? code : code + " ×" + n));
        String text = parts.size() <= CODES_PER_ROW ? String.join(", ", parts)
                : String.join(", ", parts.subList(0, CODES_PER_ROW)) + ", …";
        rows.add(new Row(ScanRow.of(r), r.worstSeverity(), text));
    }

    public String render() {
        Html h = Page.start("modeltally · scan of " + rows.size() + " files");
        int unreadable = (int) rows.stream().filter(r -> r.figures().error() != null).count();
        h.open("header").el("h1", "Model scan").el("p", rows.size() + " files, " + unreadable + " unreadable",
                "class", "meta").close("header").newline();
        h.open("main").newline();
        totals(h, unreadable);
        byFormat(h);
        scatter(h);
        files(h);
        h.close("main").newline();
        return Page.finish(h);
    }

    private void totals(Html h, int unreadable) {
        long params = 0;
        long bytes = 0;
        long flops = 0;
        int withFlops = 0;
        int[] findings = new int[3];
        for (Row r : rows) {
            ScanRow s = r.figures();
            params += s.parameters() == null ? 0 : s.parameters();
            bytes += s.bytes() == null ? 0 : s.bytes();
            if (s.flops() != null) {
                flops += s.flops();
                withFlops++;
            }
            findings[0] += s.errors();
            findings[1] += s.warnings();
            findings[2] += s.infos();
        }
        int readable = rows.size() - unreadable;
        h.open("section", "id", "headline", "class", "cards three").newline();
        card(h, "files", "Files", Numbers.grouped(rows.size()), readable + " read");
        card(h, unreadable > 0 ? "unreadable bad" : "unreadable", "Unreadable", Numbers.grouped(unreadable),
                "corrupt, unsupported or I/O error");
        card(h, "parameters", "Parameters", Numbers.grouped(params), Numbers.short_(params) + " in all readable files");
        card(h, "bytes", "Stored bytes", Numbers.bytes(bytes), Numbers.grouped(bytes) + " bytes of parameters");
        card(h, withFlops == 0 ? "flops not-estimated" : "flops", "FLOPs",
                withFlops == 0 ? "not estimated" : Numbers.short_(flops),
                withFlops + " of " + readable + " files estimated");
        card(h, findings[0] > 0 ? "findings bad" : findings[1] > 0 ? "findings warn" : "findings", "Findings",
                Numbers.grouped(findings[0] + findings[1] + findings[2]),
                findings[0] + " error, " + findings[1] + " warning, " + findings[2] + " info");
        h.close("section").newline();
    }

    private static void card(Html h, String cls, String label, String value, String detail) {
        h.open("div", "class", "card " + cls).el("div", label, "class", "label").el("div", value, "class", "value")
                .el("div", detail, "class", "detail").close("div").newline();
    }

    private void byFormat(Html h) {
        Map<String, long[]> totals = new TreeMap<>(); // files, parameters, flops, files with flops, with findings
        for (Row r : rows) {
            ScanRow s = r.figures();
            String format = s.error() != null ? UNREADABLE : s.format() == null ? "?" : s.format();
            long[] t = totals.computeIfAbsent(format, k -> new long[5]);
            t[0]++;
            t[1] += s.parameters() == null ? 0 : s.parameters();
            if (s.flops() != null) {
                t[2] += s.flops();
                t[3]++;
            }
            t[4] += s.errors() + s.warnings() > 0 ? 1 : 0;
        }
        h.open("section", "id", "formats").el("h2", "By format");
        Table.start(h, "format-table",
                new String[] {"format", "files", "parameters", "FLOPs", "files with FLOPs", "files with warnings"},
                "tnnnnn");
        totals.forEach((format, t) -> {
            h.open("tr", "class", format.equals(UNREADABLE) ? "unreadable" : null).el("td", format);
            Table.count(h, t[0]);
            if (format.equals(UNREADABLE)) {
                h.el("td", "", "class", "num").el("td", "", "class", "num").el("td", "", "class", "num")
                        .el("td", "", "class", "num");
            } else {
                Table.count(h, t[1]);
                Table.count(h, t[3] == 0 ? null : t[2], "not estimated");
                Table.count(h, t[3]);
                Table.count(h, t[4]);
            }
            h.close("tr").newline();
        });
        Table.end(h);
        h.close("section").newline();
    }

    private void scatter(Html h) {
        List<String> series = new ArrayList<>();
        List<ScatterChart.Point> points = new ArrayList<>();
        List<String> withoutFlops = new ArrayList<>();
        for (Row r : rows) {
            ScanRow s = r.figures();
            if (s.error() != null) {
                continue;
            }
            String format = s.format() == null ? "?" : s.format();
            if (!series.contains(format)) {
                series.add(format);
            }
            points.add(new ScatterChart.Point(s.path(), s.parameters(), s.flops(), series.indexOf(format)));
            if (s.flops() == null) {
                withoutFlops.add(s.path());
            }
        }
        h.open("section", "id", "zoo").el("h2", "Parameters and FLOPs");
        if (points.isEmpty()) {
            h.el("p", "No file could be read.", "class", "none").close("section").newline();
            return;
        }
        h.el("p", withoutFlops.size() == points.size()
                ? "No file has a FLOPs estimate, so this shows parameters only: one point per file, log scale."
                : "One point per file, log scales. Files without a FLOPs estimate sit in the band under the plot.",
                "class", "caption");
        ScatterChart.render(h, points, series);
        if (!withoutFlops.isEmpty()) {
            String head = withoutFlops.size() + " of " + points.size() + " files have no FLOPs estimate";
            if (withoutFlops.size() <= INLINE_LIST) {
                h.el("p", head + ": " + String.join(", ", withoutFlops) + ".", "class", "caption");
            } else {
                h.open("details", "class", "caption").el("summary", head).open("ul", "class", "paths");
                withoutFlops.forEach(p -> h.open("li").path(p).close("li"));
                h.close("ul").close("details");
            }
        }
        h.close("section").newline();
    }

    private void files(Html h) {
        h.open("section", "id", "files").el("h2", "Files (" + rows.size() + ")");
        h.empty("input", "type", "search", "class", "filter", "data-table", "file-table", "placeholder",
                "filter by path, format, finding or error", "aria-label", "filter files");
        Table.start(h, "file-table",
                new String[] {"path", "format", "parameters", "trainable", "non-trainable", "bytes", "FLOPs",
                    "findings or error"},
                "ttnnnnnv");
        for (Row r : rows) {
            ScanRow s = r.figures();
            String cls = s.error() != null ? "unreadable" : r.worst() == null ? null : "sev-" + r.worst().label();
            h.open("tr", "class", cls).open("td", "class", "name").path(s.path()).close("td")
                    .el("td", s.format() == null ? "—" : s.format());
            if (s.error() != null) {
                // one cell across the figures; the script sorts by it only in its last column
                h.el("td", s.error(), "class", "error", "colspan", "6", "data-v", UNREADABLE_RANK);
                h.close("tr").newline();
                continue;
            }
            Table.count(h, s.parameters());
            Table.count(h, s.trainable());
            Table.count(h, s.nonTrainable());
            h.el("td", Numbers.bytes(s.bytes()), "class", "num", "data-v", Long.toString(s.bytes()));
            if (s.flops() != null && !s.computeComplete()) {
                h.el("td", "≥ " + Numbers.grouped(s.flops()), "class", "num", "data-v", Long.toString(s.flops()),
                        "title", "lower bound: some nodes could not be counted");
            } else {
                Table.count(h, s.flops(), "not estimated");
            }
            h.open("td", "class", "findings", "data-v", Long.toString(s.errors() * 1_000_000_000L
                    + s.warnings() * 1_000_000L + s.infos()));
            badge(h, s.errors(), "error");
            badge(h, s.warnings(), "warning");
            badge(h, s.infos(), "info");
            if (!r.codes().isEmpty()) {
                h.el("span", r.codes(), "class", "codes");
            }
            h.close("td").close("tr").newline();
        }
        Table.end(h);
        h.close("section").newline();
    }

    private static void badge(Html h, int n, String severity) {
        if (n > 0) {
            h.el("span", n + " " + severity, "class", "badge " + severity).text(" ");
        }
    }
}
