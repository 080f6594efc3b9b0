package dev.modeltally.report;

import dev.modeltally.analysis.Memory;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Severity;
import java.util.EnumMap;
import java.util.Map;

/** The headline columns of one scanned file, shared by the table, CSV and Markdown renderers. */
public record ScanRow(String path, String format, Long parameters, Long trainable, Long nonTrainable, Long bytes,
                      Long macs, Long flops, boolean computeComplete, int errors, int warnings, int infos,
                      String error, Long activationsBytes, Long peakBytes, String peakAt, Boolean memoryLowerBound,
                      Long kvBytesPerToken) {

    public static final String[] HEADER = {"path", "format", "parameters", "trainable", "non_trainable", "bytes",
        "macs", "flops", "findings_error", "findings_warning", "findings_info", "error", "activations_bytes",
        "peak_bytes", "peak_at", "memory_lower_bound", "kv_cache_bytes_per_token"};

    public static ScanRow of(Report r) {
        if (r.failed()) {
            return new ScanRow(r.path(), r.format(), null, null, null, null, null, null, false, 0, 0, 0,
                    r.error().kind() + ": " + r.error().message(), null, null, null, null, null);
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : r.findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        Long macs = r.compute() == null ? null : r.compute().macs();
        Long flops = r.compute() == null ? null : r.compute().flops();
        boolean complete = r.compute() != null && r.compute().coverage().complete();
        Memory m = r.memory();
        return new ScanRow(r.path(), r.format(), r.parameters().total(), r.parameters().trainable(),
                r.parameters().nonTrainable(), r.parameters().bytes(), macs, flops, complete,
                counts.getOrDefault(Severity.ERROR, 0), counts.getOrDefault(Severity.WARNING, 0),
                counts.getOrDefault(Severity.INFO, 0), null, m == null ? null : m.activationsBytes(),
                m == null ? null : m.peakBytes(), m == null ? null : m.peakAt(), m == null ? null : m.lowerBound(),
                m == null || m.kvCache() == null || m.kvCache().bytesPerToken() < 0 ? null
                        : m.kvCache().bytesPerToken());
    }

    /** Raw cell values in HEADER order (empty for unknown), for CSV. */
    public String[] cells() {
        return new String[] {path, nz(format), num(parameters), num(trainable), num(nonTrainable), num(bytes),
            num(macs), num(flops), Integer.toString(errors), Integer.toString(warnings), Integer.toString(infos),
            nz(error), num(activationsBytes), num(peakBytes), nz(peakAt),
            memoryLowerBound == null ? "" : memoryLowerBound.toString(), num(kvBytesPerToken)};
    }

    private static String num(Long v) {
        return v == null ? "" : Long.toString(v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
