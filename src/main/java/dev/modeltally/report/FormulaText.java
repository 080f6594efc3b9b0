package dev.modeltally.report;

import dev.modeltally.analysis.Formula;
import dev.modeltally.ir.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * The formula rows of the text report: MACs, other FLOPs and memory as readable expressions of the
 * symbols ({@code MACs = batch × (123.5 M·seq + 18.4 K·seq²)}), per batch item where the batch
 * symbol factors out; the exact grammar form is in the JSON report.
 */
final class FormulaText {

    /** Longer expressions are left to the JSON report. */
    private static final int MAX_TEXT = 160;

    private FormulaText() {
    }

    static void rows(StringBuilder sb, Formula f) {
        if (f == null) {
            return;
        }
        Expr.Notation n = new Expr.Notation(f::identifier, Numbers::short_, true);
        String batch = batchSymbol(f);
        sb.append(row("formula", "MACs = " + readable(f.macs(), batch, n)));
        sb.append(row("", "FLOPs = 2 × MACs; other FLOPs = " + readable(f.otherFlops(), batch, n)));
        sb.append(row("", "activations = " + readable(f.activationsBytes(), batch, n) + " B"));
        String peak = readable(f.peakBytes(), batch, n);
        sb.append(row("", "peak = " + (peak.length() > MAX_TEXT ? "the largest of "
                + candidates(f.peakBytes()) + " expressions (see --json compute.formula.peak_bytes)" : peak + " B")));
        List<String> syms = new ArrayList<>();
        for (Formula.Symbol s : f.symbols()) {
            syms.add(s.symbol() + " = " + s.where() + (s.name() == null ? " (unnamed)" : ""));
        }
        sb.append(row("", "symbols: " + String.join(", ", syms)));
        if (f.isPartial()) {
            Formula.Partial first = f.partial().get(0);
            sb.append(row("", "PARTIAL: " + f.partial().size() + " item(s) not covered, e.g. "
                    + (first.node() == null ? "" : first.op() + " '" + first.node() + "': ") + first.reason()
                    + " (all in --json)"));
        }
    }

    /** The expression, with the batch symbol factored out when it divides every term. */
    private static String readable(Expr e, String batch, Expr.Notation n) {
        if (e == null) {
            return "? (overflow)";
        }
        if (batch != null && !e.isConstant()) {
            Expr per = e.exactDiv(Expr.symbol(batch));
            if (per != null && !per.symbols().contains(batch)) {
                String body = per.print(n);
                String b = n.names().apply(batch);
                String text = per.terms().size() > 1 ? b + " × (" + body + ")" : b + " × " + body;
                return shorten(text);
            }
        }
        return shorten(e.print(n));
    }

    private static String shorten(String s) {
        return s.length() > 4 * MAX_TEXT ? s.substring(0, 4 * MAX_TEXT) + " …" : s;
    }

    /** The raw name of the batch symbol: the first dim of the first input, when symbolic. */
    private static String batchSymbol(Formula f) {
        for (Formula.Symbol s : f.symbols()) {
            if (s.dim() == 0) {
                return s.raw();
            }
        }
        return null;
    }

    /** How many expressions a nested max(...) takes the largest of. */
    private static int candidates(Expr e) {
        Expr[] ab = e.minMaxOperands(true);
        return ab == null ? 1 : candidates(ab[0]) + candidates(ab[1]);
    }

    private static String row(String label, String value) {
        return Columns.row(label, value);
    }
}
