package dev.modeltally.report;

import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Parameters;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The readable summary printed by {@code inspect}. */
public final class TextReport {

    /** Per finding code, how many findings to list before summarising the rest. */
    private static final int FINDINGS_PER_CODE = 5;
    /** Inputs/outputs listed before summarising (old exporters list every initializer as an input). */
    private static final int MAX_VALUES = 12;

    private TextReport() {
    }

    public static String render(Report r, int topNodes) {
        return render(r, topNodes, false);
    }

    /** With {@code perNode}, a table of every node (shape, parameters, MACs) follows the summary. */
    public static String render(Report r, int topNodes, boolean perNode) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.path()).append('\n');
        if (r.failed()) {
            sb.append("  error  ").append(r.error().kind()).append(": ").append(r.error().message()).append('\n');
            return sb.toString();
        }
        sb.append(row("format", formatLine(r)));
        if (r.producer() != null && !r.producer().isEmpty()) {
            sb.append(row("producer", r.producer()));
        }
        appendValues(sb, "inputs", r.inputs(), List.of());
        appendValues(sb, "outputs", r.outputs(), r.compute() == null ? List.of() : r.compute().outputs());
        sb.append('\n');

        Parameters p = r.parameters();
        sb.append("Parameters      ").append(Numbers.grouped(p.total())).append("  (").append(Numbers.short_(p.total()))
                .append(')').append(System.lineSeparator());
        sb.append(row("trainable", Numbers.grouped(p.trainable())));
        sb.append(row("non-trainable", Numbers.grouped(p.nonTrainable())));
        sb.append(row("bytes", Numbers.grouped(p.bytes()) + " (" + Numbers.bytes(p.bytes()) + ")"));
        sb.append(row("tensors", Numbers.grouped(p.tensors())));
        if (!p.byDtype().isEmpty()) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(p.byDtype()).forEach((k, v) -> parts.add(k + " " + Numbers.grouped(v)));
            sb.append(row("by dtype", String.join(", ", parts)));
        }
        ParameterSources.text(sb, p);
        sb.append("Constants       ").append(Numbers.grouped(r.constants().elements())).append(" elements in ")
                .append(r.constants().tensors()).append(" tensors").append(System.lineSeparator());
        ComputeText.summary(sb, r);
        MemoryText.summary(sb, r);

        List<NodeParams> top = new ArrayList<>(r.nodes());
        top.sort(Comparator.comparingLong(NodeParams::parameters).reversed());
        if (!top.isEmpty()) {
            int n = Math.min(topNodes, top.size());
            sb.append('\n').append("Largest weight-bearing nodes (").append(n).append(" of ").append(top.size())
                    .append(")\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"#", "node", "op", "parameters", "share"});
            for (int i = 0; i < n; i++) {
                NodeParams np = top.get(i);
                rows.add(new String[] {Integer.toString(i + 1), np.name(), np.opType(), Numbers.grouped(np.parameters()),
                    Numbers.percent(np.parameters(), p.total())});
            }
            sb.append(Columns.format(rows, "  ", new boolean[] {true, false, false, true, true}));
        }

        if (r.compute() != null) {
            ComputeText.topNodes(sb, r.compute(), topNodes);
            if (perNode) {
                ComputeText.perNode(sb, r.compute());
            }
        }

        sb.append('\n');
        if (r.findings().isEmpty()) {
            sb.append("Findings        none\n");
        } else {
            sb.append("Findings (").append(r.findings().size()).append(")\n");
            Map<String, Integer> shown = new LinkedHashMap<>();
            Map<String, Integer> hidden = new LinkedHashMap<>();
            for (Finding f : r.findings()) {
                int k = shown.merge(f.code(), 1, Integer::sum);
                if (k > FINDINGS_PER_CODE) {
                    hidden.merge(f.code(), 1, Integer::sum);
                    continue;
                }
                sb.append(findingLine(f.severity().label(), f.code(), f.message()));
            }
            hidden.forEach((code, k) -> sb.append(findingLine("", code, "... and " + k + " more (see --json)")));
        }
        return sb.toString();
    }

    private static String formatLine(Report r) {
        StringBuilder s = new StringBuilder(r.format());
        if (r.metadata().containsKey("ir_version")) {
            s.append(", ir ").append(r.metadata().get("ir_version"));
        }
        if (!r.opsets().isEmpty()) {
            List<String> parts = new ArrayList<>();
            r.opsets().forEach((d, v) -> parts.add(d + " " + v));
            s.append(", opset ").append(String.join(", ", parts));
        } else if (r.opset() != null && !r.opset().isEmpty()) {
            s.append(", version ").append(r.opset());
        }
        return s.toString();
    }

    /** Values as the file declares them; "-> [4, 10]" where inference resolved more. */
    private static void appendValues(StringBuilder sb, String label, List<Value> values, List<Value> resolved) {
        if (values.isEmpty()) {
            return;
        }
        boolean first = true;
        int shown = 0;
        for (Value v : values) {
            if (++shown > MAX_VALUES && values.size() > MAX_VALUES + 1) {
                sb.append(row("", "... " + (values.size() - MAX_VALUES) + " more (see --json)"));
                break;
            }
            String line = v.name() + "  " + ValueText.describe(v);
            for (Value x : resolved) {
                if (x.name().equals(v.name()) && !ValueText.describe(x).equals(ValueText.describe(v))) {
                    line += "  -> " + (v.type() == null && x.type() == null ? x.shape().toString() : ValueText.describe(x));
                }
            }
            sb.append(row(first ? label : "", line));
            first = false;
        }
    }

    /** {@code String.format("  %-8s %-28s %s%n", ...)} without the formatter (see {@link Columns#row}). */
    private static String findingLine(String severity, String code, String message) {
        return "  " + Columns.padRight(severity, 8) + " " + Columns.padRight(code, 28) + " " + message
                + System.lineSeparator();
    }

    private static String row(String label, String value) {
        return Columns.row(label, value);
    }
}
