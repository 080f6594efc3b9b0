package dev.modeltally.analysis;

import dev.modeltally.ir.Expr;
import dev.modeltally.ir.ExprSimplifier;
import dev.modeltally.ir.Graph;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Activations and peak bytes as expressions of the symbols: the same timeline as the report's
 * ({@link MemoryEstimate}), with each tensor's bytes an expression. The peak is the maximum over the
 * steps; a step whose live bytes another step's exceed term by term (every coefficient of the
 * difference non-negative, sizes being non-negative where the model runs) cannot be the peak and is
 * dropped, so the formula is {@code max(...)} of the steps that can be.
 */
final class MemoryFormula {

    /** The result: activations, peak, and how many tensors had a size that is not an expression. */
    /** {@code peak} is null where its max(...) of {@code peakCandidates} expressions is past the size limits. */
    record Result(Expr activations, Expr peak, int peakCandidates, int unknownTensors, List<String[]> unsized) {
    }

    /**
     * Sizes as coefficient vectors over the monomials met so far (the timeline adds and compares
     * thousands of them; expressions are rebuilt only for the result), each a list of candidates
     * for a maximum (one for a plain size).
     */
    private static final class Vectors implements MemoryEstimate.Sizes<List<long[]>> {
        private final Map<Expr, Integer> index = new HashMap<>();
        private final List<Expr> monomials = new ArrayList<>();
        private static final List<long[]> ZERO = List.of(new long[0]);

        @Override
        public List<long[]> zero() {
            return ZERO;
        }

        /** Sizes by element type and shape: a transformer repeats a handful of them thousands of times. */
        private final Map<SizeKey, List<long[]>> sizes = new HashMap<>();

        /** An element type and shape, hashed from the dims' own (cached) hashes without boxing. */
        private record SizeKey(dev.modeltally.ir.DType dtype, dev.modeltally.ir.Shape shape, int hash) {
            static SizeKey of(Tensor t) {
                int h = t.dtype().ordinal();
                if (t.shape().rankKnown()) {
                    for (dev.modeltally.ir.Dim d : t.shape().dims()) {
                        h = 31 * h + d.hashCode();
                    }
                } else {
                    h = -h - 1;
                }
                return new SizeKey(t.dtype(), t.shape(), h);
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof SizeKey k && k.hash == hash && k.dtype == dtype && k.shape.equals(shape);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }

        @Override
        public List<long[]> size(Tensor t) {
            SizeKey key = SizeKey.of(t);
            List<long[]> v = sizes.get(key);
            if (v == null && !sizes.containsKey(key)) {
                Expr e = TensorBytes.expr(t.dtype(), t.shape());
                v = e == null ? null : List.of(vector(e));
                sizes.put(key, v);
            }
            return v;
        }

        long[] vector(Expr e) {
            List<Map.Entry<Long, Expr>> terms = e.terms();
            int[] at = new int[terms.size()];
            for (int i = 0; i < at.length; i++) {
                Expr m = terms.get(i).getValue();
                Integer k = index.get(m);
                if (k == null) {
                    k = monomials.size();
                    index.put(m, k);
                    monomials.add(m);
                }
                at[i] = k;
            }
            long[] v = new long[monomials.size()];
            for (int i = 0; i < at.length; i++) {
                v[at[i]] = terms.get(i).getKey();
            }
            return v;
        }

        Expr expr(long[] v) {
            Expr e = Expr.ZERO;
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0) {
                    e = e.plus(monomials.get(i).times(v[i]));
                }
            }
            return e;
        }

        @Override
        public List<long[]> plus(List<long[]> a, List<long[]> b) {
            if (b == ZERO || (b.size() == 1 && isZero(b.get(0)))) {
                return a;
            }
            if (a == ZERO || (a.size() == 1 && isZero(a.get(0)))) {
                return b;
            }
            if (a.size() == 1 && b.size() == 1) { // the common case: two plain sizes
                return List.of(combine(a.get(0), b.get(0), 1));
            }
            List<long[]> out = new ArrayList<>();
            for (long[] x : a) {
                for (long[] y : b) {
                    out.add(combine(x, y, 1));
                }
            }
            return out.size() == 1 ? out : prune(out);
        }

        @Override
        public List<long[]> minus(List<long[]> a, List<long[]> b) {
            if (b.size() != 1) {
                throw new IllegalStateException("a tensor's size is one expression");
            }
            if (a.size() == 1) {
                return List.of(combine(a.get(0), b.get(0), -1));
            }
            List<long[]> out = new ArrayList<>(a.size());
            for (long[] x : a) {
                out.add(combine(x, b.get(0), -1));
            }
            return out;
        }

        /** Which candidate of the running maximum was last found above a step. */
        private int lastAbove;

        @Override
        public List<long[]> max(List<long[]> a, List<long[]> b) {
            if (b.size() == 1) { // the common case, a step's live total: most are below a kept candidate
                long[] step = b.get(0);
                if (lastAbove < a.size() && atLeast(a.get(lastAbove), step)) {
                    return a; // the candidate that was above the last step is usually above this one too
                }
                for (int i = 0; i < a.size(); i++) {
                    if (atLeast(a.get(i), step)) {
                        lastAbove = i;
                        return a;
                    }
                }
            }
            List<long[]> out = new ArrayList<>(a);
            out.addAll(b);
            return prune(out);
        }

        @Override
        public boolean above(List<long[]> a, List<long[]> b) {
            return false;
        }

        private static long[] combine(long[] x, long[] y, int sign) {
            long[] out = java.util.Arrays.copyOf(x, Math.max(x.length, y.length));
            if (sign > 0) {
                for (int i = 0; i < y.length; i++) {
                    out[i] = Math.addExact(out[i], y[i]);
                }
            } else {
                for (int i = 0; i < y.length; i++) {
                    out[i] = Math.subtractExact(out[i], y[i]);
                }
            }
            return out;
        }

        private static boolean isZero(long[] v) {
            for (long x : v) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        /** a ≥ b wherever sizes are non-negative: every coefficient of a − b is non-negative. */
        private static boolean atLeast(long[] a, long[] b) {
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                if ((i < a.length ? a[i] : 0) < (i < b.length ? b[i] : 0)) {
                    return false;
                }
            }
            return true;
        }

        /** Drops candidates that another one is at least term by term; keeps one of equal ones. */
        private static List<long[]> prune(List<long[]> in) {
            List<long[]> kept = new ArrayList<>();
            for (long[] x : in) {
                boolean dominated = false;
                for (int i = 0; i < kept.size() && !dominated; i++) {
                    dominated = atLeast(kept.get(i), x);
                }
                if (!dominated) {
                    kept.removeIf(k -> atLeast(x, k));
                    kept.add(x);
                }
            }
            return kept;
        }
    }

    private MemoryFormula() {
    }

    static Result of(Graph g, ShapeInference.Result shapes) {
        Vectors v = new Vectors();
        MemoryEstimate<List<long[]>> e = new MemoryEstimate<>(shapes, v);
        MemoryEstimate.Timeline<List<long[]>> main = e.timeline(g);
        Expr activations = maxOf(e.activations(), v);
        Expr peak;
        try {
            peak = maxOf(main.peak(), v);
        } catch (ArithmeticException tooLarge) {
            peak = null; // the activations stay: only the peak's max(...) is past the size limits
        }
        return new Result(activations, peak, main.peak().size(), e.unknown(), e.unsized());
    }

    /**
     * The max of the candidates; where that is past the size an expression may have (a transformer's
     * exact Slice clamps in every candidate), again with each candidate simplified first.
     */
    private static Expr maxOf(List<long[]> candidates, Vectors v) {
        List<Expr> sorted = new ArrayList<>();
        candidates.forEach(c -> sorted.add(v.expr(c)));
        try {
            return nest(sorted);
        } catch (ArithmeticException tooLarge) {
            sorted.replaceAll(ExprSimplifier::simplify);
            return nest(sorted);
        }
    }

    private static Expr nest(List<Expr> candidates) {
        List<Expr> sorted = new ArrayList<>(candidates);
        sorted.sort(null);
        Expr m = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            m = Expr.max(m, sorted.get(i));
        }
        return m;
    }
}
