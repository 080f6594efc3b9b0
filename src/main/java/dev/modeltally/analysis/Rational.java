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
}
