package dev.modeltally.analysis;

import dev.modeltally.ir.Expr;
import java.util.List;
import java.util.Map;

/**
 * Compute and memory as exact expressions of the model's symbolic input dims (docs/counting.md,
 * "Formulas"). Evaluated at a point where the model runs, each equals what a concrete run at that
 * point reports; when {@code partial} lists nodes, the expressions leave those nodes out (a lower
 * bound) and say why. An expression is null when it could not be written at all (overflow).
 *
 * @param symbols     one per symbol: its identifier, the input and axis it first appears at, and the
 *                    dim name the file gives (null for an unnamed dim)
 * @param macs        multiply-accumulates
 * @param flops       2 × macs
 * @param otherFlops  other FLOPs
 * @param activationsBytes bytes of every node output (as {@code memory.activations_bytes})
 * @param peakBytes   live bytes at the peak step (as {@code memory.peak_bytes})
 * @param partial     nodes (or memory) the expressions do not cover, each with the reason
 */
public record Formula(List<Symbol> symbols, Expr macs, Expr flops, Expr otherFlops, Expr activationsBytes,
                      Expr peakBytes, List<Partial> partial) {

    /** {@code raw} is the symbol's name inside expressions (the dim name, or the one made for an unnamed dim). */
    public record Symbol(String symbol, String input, int dim, String name, String raw) {
        /** The input dim it stands for, as {@code input[dim]}. */
        public String where() {
            return input + "[" + dim + "]";
        }
    }

    /** A node whose cost is not in the formula ({@code node} null for a memory-wide gap). */
    public record Partial(String node, String op, String reason) {
    }

    public Formula {
        symbols = List.copyOf(symbols);
        partial = List.copyOf(partial);
    }

    public boolean isPartial() {
        return !partial.isEmpty();
    }

    /** The identifier that stands for a symbol's name inside the expressions. */
    public String identifier(String raw) {
        for (Symbol s : symbols) {
            if (s.raw().equals(raw)) {
                return s.symbol();
            }
        }
        return Identifiers.of(raw);
    }

    /** The expression in the formula grammar with the symbols' identifiers, or null. */
    public String text(Expr e) {
        return e == null ? null : e.print(this::identifier);
    }

    /** The value of an expression at a point given by identifier. */
    public long eval(Expr e, Map<String, Long> point) {
        Map<String, Long> raw = new java.util.HashMap<>();
        for (Symbol s : symbols) {
            Long v = point.get(s.symbol());
            if (v != null) {
                raw.put(s.raw(), v);
            }
        }
        return e.eval(raw);
    }
}
