package dev.modeltally.report;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Severity;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals over a scan, accumulated row by row so the rows themselves need not be kept. Serializable
 * and mergeable so that a distributed scan can total each part where it was read and add the parts.
 */
public final class ScanSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> byFormat = new TreeMap<>();
    private final Map<Severity, Integer> findings = new EnumMap<>(Severity.class);
    private int files;
    private int errors;
    private long parameters;
    private long skipped;

    public void add(Report r) {
        files++;
        if (r.failed()) {
            errors++;
            return;
        }
        byFormat.merge(r.format(), 1, Integer::sum);
        parameters += r.parameters().total();
        for (Finding f : r.findings()) {
            findings.merge(f.severity(), 1, Integer::sum);
        }
    }

    public void skipped(long n) {
        skipped = n;
    }

    /** Adds another part's totals to this one (skipped files included); returns this. */
    public ScanSummary merge(ScanSummary other) {
        files += other.files;
        errors += other.errors;
        parameters += other.parameters;
        skipped += other.skipped;
        other.byFormat.forEach((k, v) -> byFormat.merge(k, v, Integer::sum));
        other.findings.forEach((k, v) -> findings.merge(k, v, Integer::sum));
        return this;
    }

    /** Files passed over as not models. */
    public long skipped() {
        return skipped;
    }

    public int files() {
        return files;
    }

    public int errors() {
        return errors;
    }

    public int findings(Severity s) {
        return findings.getOrDefault(s, 0);
    }

    public Map<String, Integer> byFormat() {
        return byFormat;
    }

    public long parameters() {
        return parameters;
    }

    /** One paragraph, for the end of a table or stderr. */
    public String render(double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d file%s scanned in %.1f s", files, files == 1 ? "" : "s", seconds));
        if (!byFormat.isEmpty()) {
            StringBuilder f = new StringBuilder();
            byFormat.forEach((k, v) -> f.append(f.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            sb.append(" (").append(f).append(')');
        }
        sb.append('\n');
        sb.append("parameters: ").append(Numbers.grouped(parameters)).append(" (").append(Numbers.short_(parameters))
                .append(") in all\n");
        sb.append("errors: ").append(errors).append("; findings: ").append(findings(Severity.ERROR)).append(" error, ")
                .append(findings(Severity.WARNING)).append(" warning, ").append(findings(Severity.INFO))
                .append(" info");
        if (skipped > 0) {
            sb.append("; ").append(skipped).append(" other file").append(skipped == 1 ? "" : "s").append(" skipped");
        }
        return sb.append('\n').toString();
    }
}
