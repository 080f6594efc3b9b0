package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Graph;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Activations and peak bytes as expressions of the symbols: the same timeline as the report's
 * ({@link MemoryEstimate}), with each tensor's bytes an expression. The peak is the maximum over the
 * steps; a step whose live bytes another step's exceed term by term (every coefficient of the
 * difference non-negative, sizes being non-negative where the model runs) cannot be the peak and is
 * dropped, so the formula is {@code max(...)} of the steps that can be.
 */
final class MemoryFormula {

    /** The result: activations, peak, and how many tensors had a size that is not an expression. */
    record Result(Expr activations, Expr peak, int unknownTensors) {
    }

    /** Candidates for a maximum (one element for a plain size). */
    private static final MemoryEstimate.Sizes<List<Expr>> EXPRESSIONS = new MemoryEstimate.Sizes<>() {
        @Override
        public List<Expr> zero() {
            return List.of(Expr.ZERO);
        }

        @Override
        public List<Expr> size(Tensor t) {
            Expr e = bytes(t);
            return e == null ? null : List.of(e);
        }

        @Override
        public List<Expr> plus(List<Expr> a, List<Expr> b) {
            List<Expr> out = new ArrayList<>();
            for (Expr x : a) {
                for (Expr y : b) {
                    out.add(x.plus(y));
                }
            }
            return prune(out);
        }

        @Override
        public List<Expr> minus(List<Expr> a, List<Expr> b) {
            if (b.size() != 1) {
                throw new IllegalStateException("a tensor's size is one expression");
            }
            List<Expr> out = new ArrayList<>();
            for (Expr x : a) {
                out.add(x.minus(b.get(0)));
            }
            return out;
        }

        @Override
        public List<Expr> max(List<Expr> a, List<Expr> b) {
            List<Expr> out = new ArrayList<>(a);
            out.addAll(b);
            return prune(out);
        }

        @Override
        public boolean above(List<Expr> a, List<Expr> b) {
            return false;
        }
    };

    private MemoryFormula() {
    }

    static Result of(Graph g, ShapeInference.Result shapes) {
        MemoryEstimate<List<Expr>> e = new MemoryEstimate<>(shapes, EXPRESSIONS);
        MemoryEstimate.Timeline<List<Expr>> main = e.timeline(g);
        return new Result(single(e.activations()), maxOf(main.peak()), e.unknown());
    }

    /** ⌈elements × bits / 8⌉ as an expression, or null when a dim or the element size is unknown. */
    static Expr bytes(Tensor t) {
        if (t.dtype() == null || t.dtype().bits() == 0 || !t.shape().rankKnown()) {
            return null;
        }
        Expr elements = Expr.ONE;
        for (Dim d : t.shape().dims()) {
            Expr x = d.expr();
            if (x == null) {
                return null;
            }
            elements = elements.times(x);
        }
        int bits = t.dtype().bits();
        return bits % 8 == 0 ? elements.times(bits / 8) : Expr.ceilDiv(elements.times(bits), 8);
    }

    private static Expr single(List<Expr> e) {
        return e.size() == 1 ? e.get(0) : maxOf(e);
    }

    private static Expr maxOf(List<Expr> candidates) {
        List<Expr> sorted = new ArrayList<>(candidates);
        sorted.sort(null);
        Expr m = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            m = Expr.max(m, sorted.get(i));
        }
        return m;
    }

    /** Drops candidates that another one is at least term by term; keeps one of equal ones. */
    static List<Expr> prune(List<Expr> in) {
        List<Expr> kept = new ArrayList<>();
        for (Expr x : in) {
            boolean dominated = false;
            for (int i = 0; i < kept.size() && !dominated; i++) {
                if (atLeast(kept.get(i), x)) {
                    dominated = true;
                }
            }
            if (!dominated) {
                kept.removeIf(k -> atLeast(x, k));
                kept.add(x);
            }
        }
        return kept;
    }

    /** a ≥ b wherever sizes are non-negative: every coefficient of a − b is non-negative. */
    static boolean atLeast(Expr a, Expr b) {
        for (var term : a.minus(b).terms()) {
            if (term.getKey() < 0) {
                return false;
            }
        }
        return true;
    }
}
