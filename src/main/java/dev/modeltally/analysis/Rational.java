package dev.modeltally.analysis;

import java.math.BigInteger;
import java.util.List;

/** An exact fraction (den > 0, lowest terms), and the exact linear solve the cost fit needs. */
record Rational(BigInteger num, BigInteger den) {

    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);

    static Rational of(BigInteger num, BigInteger den) {
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        return g.equals(BigInteger.ONE) || g.signum() == 0 ? new Rational(num, den)
                : new Rational(num.divide(g), den.divide(g));
    }

    static Rational of(BigInteger v) {
        return new Rational(v, BigInteger.ONE);
    }

    Rational minus(Rational o) {
        return of(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational times(Rational o) {
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    Rational over(Rational o) {
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    boolean isZero() {
        return num.signum() == 0;
    }

    /**
     * Solves rows·x = costs[k] for the two right-hand sides at once (MACs and other FLOPs). The
     * system may be rank-deficient (atoms that are dependent, like ⌊n/2⌋ + ⌊(n+1)/2⌋ = n): free
     * unknowns are 0, which is as exact as any other solution on the points where it holds. Returns
     * null when some row is inconsistent (the cost is not in the span).
     */
    static Rational[][] solve(List<BigInteger[]> rows, List<long[]> costs) {
        Rational[][] quick = Rounded.solve(rows, costs);
        return quick != null ? quick : solveExact(rows, costs);
    }

    /** The exact elimination alone (over long fractions, then BigInteger where those overflow). */
    static Rational[][] solveExact(List<BigInteger[]> rows, List<long[]> costs) {
        try {
            return LongFractions.solve(rows, costs);
        } catch (ArithmeticException e) {
            return solveBig(rows, costs); // numbers past a long: the same elimination in BigInteger
        }
    }

    private static Rational[][] solveBig(List<BigInteger[]> rows, List<long[]> costs) {
        int p = rows.size();
        int m = rows.get(0).length;
        Rational[][] a = new Rational[p][m + 2];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < m; j++) {
                a[i][j] = of(rows.get(i)[j]);
            }
            a[i][m] = of(BigInteger.valueOf(costs.get(i)[0]));
            a[i][m + 1] = of(BigInteger.valueOf(costs.get(i)[1]));
        }
        int[] pivotCol = new int[p];
        int rank = 0;
        for (int col = 0; col < m && rank < p; col++) {
            int pivot = -1;
            for (int i = rank; i < p; i++) {
                if (!a[i][col].isZero()) {
                    pivot = i;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            Rational[] t = a[pivot];
            a[pivot] = a[rank];
            a[rank] = t;
            for (int i = 0; i < p; i++) {
                if (i != rank && !a[i][col].isZero()) {
                    Rational f = a[i][col].over(a[rank][col]);
                    for (int j = col; j < m + 2; j++) {
                        if (!a[rank][j].isZero()) {
                            a[i][j] = a[i][j].minus(f.times(a[rank][j]));
                        }
                    }
                }
            }
            pivotCol[rank] = col;
            rank++;
        }
        for (int i = rank; i < p; i++) {
            if (!a[i][m].isZero() || !a[i][m + 1].isZero()) {
                return null;
            }
        }
        Rational[][] x = new Rational[2][m];
        for (int k = 0; k < 2; k++) {
            java.util.Arrays.fill(x[k], ZERO);
            for (int i = 0; i < rank; i++) {
                x[k][pivotCol[i]] = a[i][m + k].over(a[i][pivotCol[i]]);
            }
        }
        return x;
    }

    /**
     * The same elimination over fractions of longs (most fits: small sizes, low degrees), without a
     * BigInteger per step; any overflow throws and the caller redoes it in BigInteger.
     */
    private static final class LongFractions {
        private LongFractions() {
        }

        static Rational[][] solve(List<BigInteger[]> rows, List<long[]> costs) {
            int p = rows.size();
            int m = rows.get(0).length;
            int w = m + 2;
            long[][] num = new long[p][w];
            long[][] den = new long[p][w];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < m; j++) {
                    num[i][j] = rows.get(i)[j].longValueExact();
                }
                num[i][m] = costs.get(i)[0];
                num[i][m + 1] = costs.get(i)[1];
                java.util.Arrays.fill(den[i], 1);
            }
            int[] pivotCol = new int[p];
            int rank = 0;
            for (int col = 0; col < m && rank < p; col++) {
                int pivot = -1;
                for (int i = rank; i < p; i++) {
                    if (num[i][col] != 0) {
                        pivot = i;
                        break;
                    }
                }
                if (pivot < 0) {
                    continue;
                }
                long[] tn = num[pivot];
                num[pivot] = num[rank];
                num[rank] = tn;
                long[] td = den[pivot];
                den[pivot] = den[rank];
                den[rank] = td;
                for (int i = 0; i < p; i++) {
                    if (i == rank || num[i][col] == 0) {
                        continue;
                    }
                    // f = a[i][col] / a[rank][col]
                    long fn = Math.multiplyExact(num[i][col], den[rank][col]);
                    long fd = Math.multiplyExact(den[i][col], num[rank][col]);
                    for (int j = col; j < w; j++) {
                        if (num[rank][j] == 0) {
                            continue;
                        }
                        // a[i][j] -= f * a[rank][j]
                        long pn = Math.multiplyExact(fn, num[rank][j]);
                        long pd = Math.multiplyExact(fd, den[rank][j]);
                        long g = gcd(pn, pd);
                        pn /= g;
                        pd /= g;
                        long rn = Math.subtractExact(Math.multiplyExact(num[i][j], pd), Math.multiplyExact(pn, den[i][j]));
                        long rd = Math.multiplyExact(den[i][j], pd);
                        long h = gcd(rn, rd);
                        if (rd < 0) {
                            h = -h;
                        }
                        num[i][j] = rn / h;
                        den[i][j] = rd / h;
                    }
                }
                pivotCol[rank] = col;
                rank++;
            }
            for (int i = rank; i < p; i++) {
                if (num[i][m] != 0 || num[i][m + 1] != 0) {
                    return null;
                }
            }
            Rational[][] x = new Rational[2][m];
            for (int k = 0; k < 2; k++) {
                java.util.Arrays.fill(x[k], ZERO);
                for (int i = 0; i < rank; i++) {
                    int c = pivotCol[i];
                    Rational v = Rational.of(BigInteger.valueOf(num[i][m + k]), BigInteger.valueOf(den[i][m + k]));
                    Rational d = Rational.of(BigInteger.valueOf(num[i][c]), BigInteger.valueOf(den[i][c]));
                    x[k][c] = v.over(d);
                }
            }
            return x;
        }

        private static long gcd(long a, long b) {
            a = Math.abs(a);
            b = Math.abs(b);
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a == 0 ? 1 : a;
        }
    }

    /**
     * The fast path: eliminate in doubles (a column with no pivot left, a dependent atom, gets 0 as in
     * the exact elimination), round each coefficient to the nearest fraction of small denominator,
     * then check the rounded coefficients against every row exactly (integers, no rounding). What
     * passes solves the system exactly, which is all the exact elimination gives too (on a full-rank
     * system, the same one solution). Null, for the exact elimination, when a number is past a double's
     * exact range, a coefficient is not near a small fraction, or the check fails.
     */
    static final class Rounded {
        /** Denominators tried when rounding; build() turns them into one floor division. */
        private static final int MAX_DEN = 720;
        private static final double PIVOT = 1e-9;

        private Rounded() {
        }

        static Rational[][] solve(List<BigInteger[]> rows, List<long[]> costs) {
            int p = rows.size();
            int m = rows.get(0).length;
            double[][] a = new double[p][m + 2];
            double[] scale = new double[m];
            for (int i = 0; i < p; i++) {
                BigInteger[] r = rows.get(i);
                for (int j = 0; j < m; j++) {
                    if (r[j].bitLength() > 52) {
                        return null; // not exact in a double
                    }
                    a[i][j] = r[j].doubleValue();
                    scale[j] = Math.max(scale[j], Math.abs(a[i][j]));
                }
                a[i][m] = costs.get(i)[0];
                a[i][m + 1] = costs.get(i)[1];
            }
            for (int j = 0; j < m; j++) { // columns scaled to 1 so the pivot test is relative
                if (scale[j] == 0) {
                    scale[j] = 1; // a column of zeros: never a pivot, its unknown is 0
                }
                for (int i = 0; i < p; i++) {
                    a[i][j] /= scale[j];
                }
            }
            int[] pivotCol = new int[m];
            int rank = 0;
            for (int col = 0; col < m && rank < p; col++) {
                int pivot = rank;
                for (int i = rank + 1; i < p; i++) {
                    if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                        pivot = i;
                    }
                }
                if (Math.abs(a[pivot][col]) < PIVOT) {
                    continue; // a dependent column (atoms such as ⌊n/2⌋ + ⌊(n+1)/2⌋ = n): its unknown is 0
                }
                double[] t = a[pivot];
                a[pivot] = a[rank];
                a[rank] = t;
                for (int i = rank + 1; i < p; i++) {
                    double f = a[i][col] / a[rank][col];
                    if (f != 0) {
                        for (int j = col; j < m + 2; j++) {
                            a[i][j] -= f * a[rank][j];
                        }
                    }
                }
                pivotCol[rank++] = col;
            }
            Rational[][] x = new Rational[2][m];
            for (int k = 0; k < 2; k++) {
                double[] v = new double[m];
                for (int i = rank - 1; i >= 0; i--) {
                    int c = pivotCol[i];
                    double s = a[i][m + k];
                    for (int j = c + 1; j < m; j++) {
                        s -= a[i][j] * v[j];
                    }
                    v[c] = s / a[i][c];
                }
                for (int j = 0; j < m; j++) {
                    x[k][j] = round(v[j] / scale[j]);
                    if (x[k][j] == null) {
                        return null;
                    }
                }
                if (!solvesExactly(x[k], rows, costs, k)) {
                    return null;
                }
            }
            return x;
        }

        /** The fraction of denominator at most MAX_DEN nearest to v, if one is within rounding of it. */
        private static Rational round(double v) {
            if (!Double.isFinite(v) || Math.abs(v) > 1e15) {
                return null;
            }
            for (int q = 1; q <= MAX_DEN; q++) {
                double n = Math.rint(v * q);
                if (Math.abs(v * q - n) <= 1e-6 * Math.max(1, Math.abs(n))) {
                    return Rational.of(BigInteger.valueOf((long) n), BigInteger.valueOf(q));
                }
            }
            return null;
        }

        /** Σ x_j·row_j = cost on every row, in integers (each side times the common denominator). */
        private static boolean solvesExactly(Rational[] x, List<BigInteger[]> rows, List<long[]> costs, int k) {
            BigInteger lcm = BigInteger.ONE;
            for (Rational c : x) {
                lcm = lcm.divide(lcm.gcd(c.den())).multiply(c.den());
            }
            BigInteger[] scaled = new BigInteger[x.length];
            for (int j = 0; j < x.length; j++) {
                scaled[j] = x[j].num().multiply(lcm.divide(x[j].den()));
            }
            for (int i = 0; i < rows.size(); i++) {
                BigInteger[] r = rows.get(i);
                BigInteger sum = BigInteger.ZERO;
                for (int j = 0; j < x.length; j++) {
                    if (scaled[j].signum() != 0) {
                        sum = sum.add(scaled[j].multiply(r[j]));
                    }
                }
                if (!sum.equals(lcm.multiply(BigInteger.valueOf(costs.get(i)[k])))) {
                    return false;
                }
            }
            return true;
        }
    }
}
