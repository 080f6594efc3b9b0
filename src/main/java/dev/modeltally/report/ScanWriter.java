package dev.modeltally.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.modeltally.analysis.Report;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes scan rows as they arrive, in one of the scan formats. Tables are aligned and SARIF is one
 * document, so those are buffered (SARIF keeps findings only); JSONL and CSV stream.
 */
public final class ScanWriter {

    public enum Format { TABLE, JSONL, CSV, MARKDOWN, SARIF }

    private static final CsvMapper CSV = new CsvMapper();

    private final Format format;
    private final PrintWriter out;
    private final List<String[]> table = new ArrayList<>();
    private final SarifReport sarif;
    private boolean started;

    public ScanWriter(Format format, PrintWriter out, String toolVersion) {
        this.format = format;
        this.out = out;
        this.sarif = format == Format.SARIF ? new SarifReport(toolVersion) : null;
    }

    public void row(Report r) {
        switch (format) {
            case JSONL -> out.println(JsonReport.line(r));
            case CSV -> {
                if (!started) {
                    out.print(csvLine(ScanRow.HEADER));
                }
                out.print(csvLine(ScanRow.of(r).cells()));
            }
            case TABLE, MARKDOWN -> table.add(display(ScanRow.of(r)));
            case SARIF -> sarif.add(r);
        }
        started = true;
        out.flush();
    }

    /** Ends the output; the summary goes after tables (JSONL/CSV callers print it to stderr). */
    public void finish(String summary) {
        String[] header = {"path", "format", "parameters", "trainable", "MACs", "peak memory", "findings", "error"};
        if (format == Format.TABLE) {
            List<String[]> rows = new ArrayList<>();
            rows.add(header);
            rows.addAll(table);
            out.print(Columns.format(rows, "", new boolean[] {false, false, true, true, true, true, false, false}));
            out.println();
            out.print(summary);
        } else if (format == Format.SARIF) {
            out.println(sarif.document().toPrettyString());
        } else if (format == Format.MARKDOWN) {
            out.println("| " + String.join(" | ", header) + " |");
            out.println("|---|---|--:|--:|--:|--:|---|---|");
            for (String[] r : table) {
                List<String> cells = new ArrayList<>();
                for (String c : r) {
                    cells.add(c.replace("|", "\\|"));
                }
                out.println("| " + String.join(" | ", cells) + " |");
            }
            out.println();
            for (String line : summary.strip().split("\n")) {
                out.println(line + "  ");
            }
        }
        out.flush();
    }

    private static String[] display(ScanRow r) {
        String findings = r.error() != null ? "" : r.errors() + "E " + r.warnings() + "W " + r.infos() + "I";
        String macs = r.macs() == null ? "-" : Numbers.short_(r.macs()) + (r.computeComplete() ? "" : " (≥)");
        String peak = r.peakBytes() == null ? "-" : Numbers.bytes(r.peakBytes())
                + (Boolean.TRUE.equals(r.memoryLowerBound()) ? " (≥)" : "");
        return new String[] {r.path(), r.format() == null ? "-" : r.format(),
            r.parameters() == null ? "-" : Numbers.grouped(r.parameters()),
            r.trainable() == null ? "-" : Numbers.grouped(r.trainable()), macs, peak, findings,
            r.error() == null ? "" : r.error()};
    }

    private static String csvLine(String[] cells) {
        try {
            return CSV.writer(CsvSchema.emptySchema()).writeValueAsString(cells);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
