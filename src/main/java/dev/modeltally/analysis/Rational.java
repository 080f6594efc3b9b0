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
        if (quick == null) {
            quick = Modular.solve(rows, costs);
        }
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
        static boolean solvesExactly(Rational[] x, List<BigInteger[]> rows, List<long[]> costs, int k) {
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

    /**
     * The second fast path, for the larger systems (floors of several sizes, up to 64 terms) where
     * doubles lose the digits: the same elimination modulo the prime 2^61 − 1 (exact, no growth of
     * numbers), each coefficient read back as the fraction n/d with |n|, d below √(p/2) that it is
     * congruent to, then checked against every row in integers as the rounded path is. What passes
     * solves the system exactly; null (the exact elimination) when a coefficient has no such
     * fraction or the check fails.
     */
    static final class Modular {
        private static final long P = (1L << 61) - 1;
        /** Numerators and denominators read back: both at most √(P/2). */
        private static final long BOUND = (long) Math.sqrt(P / 2.0);
        private static final BigInteger BIG_P = BigInteger.valueOf(P);

        private Modular() {
        }

        static Rational[][] solve(List<BigInteger[]> rows, List<long[]> costs) {
            int p = rows.size();
            int m = rows.get(0).length;
            int w = m + 2;
            long[][] a = new long[p][w];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < m; j++) {
                    a[i][j] = reduce(rows.get(i)[j]);
                }
                a[i][m] = reduce(BigInteger.valueOf(costs.get(i)[0]));
                a[i][m + 1] = reduce(BigInteger.valueOf(costs.get(i)[1]));
            }
            int[] pivotCol = new int[m];
            int rank = 0;
            for (int col = 0; col < m && rank < p; col++) {
                int pivot = -1;
                for (int i = rank; i < p && pivot < 0; i++) {
                    if (a[i][col] != 0) {
                        pivot = i;
                    }
                }
                if (pivot < 0) {
                    continue; // no pivot left in this column: its unknown is 0, as in the exact elimination
                }
                long[] t = a[pivot];
                a[pivot] = a[rank];
                a[rank] = t;
                long inv = inverse(a[rank][col]);
                for (int j = col; j < w; j++) {
                    a[rank][j] = mul(a[rank][j], inv);
                }
                for (int i = 0; i < p; i++) {
                    long f = a[i][col];
                    if (i != rank && f != 0) {
                        for (int j = col; j < w; j++) {
                            if (a[rank][j] != 0) {
                                a[i][j] = sub(a[i][j], mul(f, a[rank][j]));
                            }
                        }
                    }
                }
                pivotCol[rank++] = col;
            }
            Rational[][] x = new Rational[2][m];
            for (int k = 0; k < 2; k++) {
                java.util.Arrays.fill(x[k], ZERO);
                for (int i = 0; i < rank; i++) {
                    Rational r = fraction(a[i][m + k]);
                    if (r == null) {
                        return null;
                    }
                    x[k][pivotCol[i]] = r;
                }
                if (!Rounded.solvesExactly(x[k], rows, costs, k)) {
                    return null;
                }
            }
            return x;
        }

        private static long reduce(BigInteger v) {
            return v.bitLength() < 62 ? Math.floorMod(v.longValue(), P) : v.mod(BIG_P).longValue();
        }

        /** a·b mod P for a, b in [0, P): the 122-bit product folded at bit 61 (2^61 ≡ 1). */
        static long mul(long a, long b) {
            long hi = Math.multiplyHigh(a, b);
            long lo = a * b;
            long r = (lo & P) + ((lo >>> 61) | (hi << 3));
            r = (r & P) + (r >>> 61);
            return r >= P ? r - P : r;
        }

        private static long sub(long a, long b) {
            long r = a - b;
            return r < 0 ? r + P : r;
        }

        /** a^(P−2): the inverse of a non-zero a modulo the prime P. */
        private static long inverse(long a) {
            long result = 1;
            long base = a;
            for (long e = P - 2; e > 0; e >>>= 1) {
                if ((e & 1) == 1) {
                    result = mul(result, base);
                }
                base = mul(base, base);
            }
            return result;
        }

        /** The fraction n/d ≡ u (mod P) with |n|, d ≤ BOUND (extended Euclid stopped half way), or null. */
        static Rational fraction(long u) {
            long r0 = P;
            long r1 = u;
            long t0 = 0;
            long t1 = 1;
            while (r1 > BOUND) {
                long q = r0 / r1;
                long r2 = r0 - q * r1;
                long t2;
                try {
                    t2 = Math.subtractExact(t0, Math.multiplyExact(q, t1));
                } catch (ArithmeticException e) {
                    return null;
                }
                r0 = r1;
                r1 = r2;
                t0 = t1;
                t1 = t2;
            }
            if (t1 == 0 || Math.abs(t1) > BOUND) {
                return null;
            }
            long n = t1 < 0 ? -r1 : r1;
            return Rational.of(BigInteger.valueOf(n), BigInteger.valueOf(Math.abs(t1)));
        }
    }
}
