package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.IoStats;
import dev.modeltally.ir.Severity;
import dev.modeltally.ir.Value;
import java.util.List;
import java.util.Map;

/**
 * Everything modeltally says about one model file. For a file that could not be read, only
 * {@code path} and {@code error} are set and every other field is null or empty.
 *
 * @param compute null until compute is estimated (or when the file has no graph)
 * @param io      what reading the file cost (bytes read, read calls); null when not measured
 */
public record Report(String path, String format, String producer, String opset, Map<String, Long> opsets,
                     Map<String, String> metadata, Parameters parameters, Constants constants, Compute compute,
                     List<Value> inputs, List<Value> outputs, List<NodeParams> nodes, List<Finding> findings,
                     boolean hasGraph, ReportError error, IoStats io) {

    /** A report without I/O figures (the facade adds them with {@link #withIo}). */
    public Report(String path, String format, String producer, String opset, Map<String, Long> opsets,
                  Map<String, String> metadata, Parameters parameters, Constants constants, Compute compute,
                  List<Value> inputs, List<Value> outputs, List<NodeParams> nodes, List<Finding> findings,
                  boolean hasGraph, ReportError error) {
        this(path, format, producer, opset, opsets, metadata, parameters, constants, compute, inputs, outputs, nodes,
                findings, hasGraph, error, null);
    }

    public Report {
        opsets = opsets == null ? Map.of() : Map.copyOf(opsets);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    public static Report failed(String path, String kind, String message) {
        return new Report(path, null, null, null, null, null, null, null, null, null, null, null, null, false,
                new ReportError(kind, message));
    }

    /** This report with the I/O its reading took. */
    public Report withIo(IoStats stats) {
        return new Report(path, format, producer, opset, opsets, metadata, parameters, constants, compute, inputs,
                outputs, nodes, findings, hasGraph, error, stats);
    }

    public boolean failed() {
        return error != null;
    }

    /** The most severe finding, or null when there are none. */
    public Severity worstSeverity() {
        Severity worst = null;
        for (Finding f : findings) {
            if (worst == null || f.severity().compareTo(worst) > 0) {
                worst = f.severity();
            }
        }
        return worst;
    }
}
