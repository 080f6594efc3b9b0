package dev.modeltally.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The largest of several candidates (a peak: {@code max(...)} over the steps that can be largest),
 * for {@link ExprSimplifier}. The domain (every symbol an integer >= 0) is cut into faces: for each
 * subset Z of the symbols (at most {@value #MAX_FACE_SYMBOLS} symbols, else the whole domain is the
 * one face), the points where the symbols of Z are 0 and the others are >= 1, written with each
 * other symbol s as s + 1 over s >= 0. A candidate is dropped when on every face some other
 * candidate still kept is proved ({@link ExprSimplifierBounds}) to be at least it there, or a
 * weighted mean of two of them is: then at every point some kept candidate is at least it, and the
 * max is the same without it. Probe
 * points only choose which other candidates to try (those at least it at every probe of the face,
 * at most {@value #MAX_TRIES} single ones and as many pairs); they never drop anything.
 */
final class ExprSimplifierPeak {

    static final int MAX_FACE_SYMBOLS = 4;
    static final int MAX_TRIES = 3;
    private static final long LARGE = 1000;
    private static final int[][] WEIGHTS = {{1, 1}, {1, 3}, {3, 1}};

    private final ExprSimplifierBounds bounds;
    private final ExprSimplifier.Budget budget;

    ExprSimplifierPeak(ExprSimplifierBounds bounds, ExprSimplifier.Budget budget) {
        this.bounds = bounds;
        this.budget = budget;
    }

    /**
     * Which candidates to drop, taken in order: candidate i is tried against the ones not dropped
     * so far; {@code proof} runs the proof for one candidate within its share of the budget.
     */
    boolean[] dropped(List<Expr> cs, Function<BooleanSupplier, Boolean> proof) {
        List<String> names = names(cs);
        List<Function<String, Expr>> faces = faces(names);
        int n = cs.size();
        Expr[][] on = new Expr[faces.size()][n];
        long[][][] at = new long[faces.size()][n][];
        for (int f = 0; f < faces.size(); f++) {
            long[][] points = points(names.size());
            for (int i = 0; i < n; i++) {
                budget.charge(2 * cs.get(i).termMap().size());
                on[f][i] = faces.get(f) == null ? cs.get(i) : cs.get(i).substitute(faces.get(f));
                at[f][i] = values(on[f][i], names, points);
            }
        }
        boolean[] dropped = new boolean[n];
        for (int i = 0; i < n; i++) {
            int c = i;
            dropped[i] = proof.apply(() -> {
                for (int f = 0; f < faces.size(); f++) {
                    if (!covered(on[f], at[f], c, dropped)) {
                        return false;
                    }
                }
                return true;
            });
        }
        return dropped;
    }

    /** True when some other candidate not dropped is proved at least candidate c on this face. */
    private boolean covered(Expr[] on, long[][] at, int c, boolean[] dropped) {
        int tries = 0;
        for (int j = 0; j < on.length && tries < MAX_TRIES; j++) {
            if (j == c || dropped[j] || !atLeast(at[j], at[c])) {
                continue;
            }
            tries++;
            if (bounds.nonNegative(on[j].minus(on[c]))) {
                return true;
            }
        }
        return coveredByTwo(on, at, c, dropped);
    }

    /**
     * True when two other candidates not dropped have a weighted mean proved at least c on this face:
     * {@code w·a + v·b >= (w + v)·c} with w, v > 0 gives {@code max(a, b) >= c}.
     */
    private boolean coveredByTwo(Expr[] on, long[][] at, int c, boolean[] dropped) {
        List<Integer> some = new ArrayList<>();
        for (int j = 0; j < on.length; j++) {
            if (j != c && !dropped[j] && atSome(at[j], at[c])) {
                some.add(j);
            }
        }
        int tries = 0;
        for (int x = 0; x < some.size(); x++) {
            for (int y = x + 1; y < some.size(); y++) {
                int a = some.get(x);
                int b = some.get(y);
                for (int[] w : WEIGHTS) {
                    if (!meanAtLeast(at[a], at[b], w, at[c])) {
                        continue;
                    }
                    if (tries++ >= MAX_TRIES) {
                        return false;
                    }
                    Expr mean = on[a].times(w[0]).plus(on[b].times(w[1]));
                    if (bounds.nonNegative(mean.minus(on[c].times(w[0] + w[1])))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** o >= c at some probe (or an overflowing value). */
    private static boolean atSome(long[] o, long[] c) {
        for (int p = 0; p < c.length; p++) {
            if (o[p] == Long.MIN_VALUE || c[p] == Long.MIN_VALUE || o[p] >= c[p]) {
                return true;
            }
        }
        return false;
    }

    /** w·a + v·b >= (w + v)·c at every probe, in doubles (it only chooses what to try). */
    private static boolean meanAtLeast(long[] a, long[] b, int[] w, long[] c) {
        for (int p = 0; p < c.length; p++) {
            if (a[p] == Long.MIN_VALUE || b[p] == Long.MIN_VALUE || c[p] == Long.MIN_VALUE) {
                continue;
            }
            if (w[0] * (double) a[p] + w[1] * (double) b[p] < (w[0] + w[1]) * (double) c[p]) {
                return false;
            }
        }
        return true;
    }

    /** o >= c at every probe (an overflowing value, Long.MIN_VALUE, tells nothing and passes). */
    private static boolean atLeast(long[] o, long[] c) {
        for (int p = 0; p < c.length; p++) {
            if (o[p] != Long.MIN_VALUE && c[p] != Long.MIN_VALUE && o[p] < c[p]) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(List<Expr> es) {
        Set<String> out = new LinkedHashSet<>();
        es.forEach(e -> out.addAll(e.symbols()));
        return new ArrayList<>(out);
    }

    /** Each face as a substitution (bit i of the face number set: symbol i is 0, else it is s + 1). */
    private static List<Function<String, Expr>> faces(List<String> names) {
        List<Function<String, Expr>> out = new ArrayList<>();
        if (names.size() > MAX_FACE_SYMBOLS) {
            out.add(null);
            return out;
        }
        Map<String, Integer> index = index(names);
        for (int f = 0; f < 1 << names.size(); f++) {
            int face = f;
            out.add(s -> {
                Integer i = index.get(s);
                return i == null ? null : (face >> i & 1) == 1 ? Expr.ZERO : Expr.symbol(s).plus(1);
            });
        }
        return out;
    }

    /** Probes: every symbol 0, every symbol large, and each symbol large with the others 0. */
    private static long[][] points(int k) {
        long[][] out = new long[2 + k][k];
        java.util.Arrays.fill(out[1], LARGE);
        for (int i = 0; i < k; i++) {
            out[2 + i][i] = LARGE;
        }
        return out;
    }

    /** The values of e at the points, Long.MIN_VALUE where one overflows. */
    private static long[] values(Expr e, List<String> names, long[][] points) {
        Map<String, Integer> index = index(names);
        long[] out = new long[points.length];
        for (int p = 0; p < points.length; p++) {
            long[] x = points[p];
            try {
                out[p] = e.eval(s -> x[index.get(s)]);
            } catch (ArithmeticException ex) {
                out[p] = Long.MIN_VALUE;
            }
        }
        return out;
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return index;
    }
}
