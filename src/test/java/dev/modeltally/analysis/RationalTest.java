package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cost fit's exact solve: the rounded fast path agrees with the exact elimination, or steps aside. */
class RationalTest {

    /** Rows of monomials 1, x, y, x·y, x², with x = floor(n/2) beside n where asked (a dependent atom). */
    private static BigInteger[] row(long x, long y, boolean dependent) {
        long[] v = dependent ? new long[] {1, x, x / 2, (x + 1) / 2, y, x * y}
                : new long[] {1, x, y, x * y, x * x};
        BigInteger[] r = new BigInteger[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = BigInteger.valueOf(v[i]);
        }
        return r;
    }

    private static long eval(Rational[] c, BigInteger[] row) {
        BigInteger num = BigInteger.ZERO;
        BigInteger den = BigInteger.ONE;
        for (int j = 0; j < c.length; j++) { // Σ c_j·row_j as one fraction
            num = num.multiply(c[j].den()).add(c[j].num().multiply(row[j]).multiply(den));
            den = den.multiply(c[j].den());
        }
        assertEquals(BigInteger.ZERO, num.mod(den), "an integer cost");
        return num.divide(den).longValueExact();
    }

    @Test
    void roundedAndExactGiveTheSameCoefficientsOnFullRankSystems() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            long[] macs = {random.nextInt(1000), random.nextInt(100_000), random.nextInt(50), random.nextInt(7), 0};
            int half = random.nextInt(3); // some costs carry a 1/2 (a floor of a product), built as ⌊p/2⌋ later
            List<BigInteger[]> rows = new ArrayList<>();
            List<long[]> costs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long x = 2 * (1 + random.nextInt(200));
                long y = 1 + random.nextInt(400);
                BigInteger[] r = row(x, y, false);
                long m = macs[0] + macs[1] * x + macs[2] * y + macs[3] * x * y + (half == 1 ? x * x / 2 : 0);
                rows.add(r);
                costs.add(new long[] {m, 3 * x * y + 5});
            }
            Rational[][] quick = Rational.Rounded.solve(rows, costs);
            Rational[][] exact = Rational.solveExact(rows, costs);
            assertNotNull(exact);
            if (quick != null) {
                for (int k = 0; k < 2; k++) {
                    assertArrayEquals(exact[k], quick[k], "trial " + trial);
                }
            }
            Rational[][] used = Rational.solve(rows, costs);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(costs.get(i)[0], eval(used[0], rows.get(i)));
                assertEquals(costs.get(i)[1], eval(used[1], rows.get(i)));
            }
        }
    }

    @Test
    void aDependentAtomGetsZeroAndTheSolutionStillHoldsOnEveryRow() {
        Random random = new Random(11);
        int quickOnes = 0;
        for (int trial = 0; trial < 100; trial++) {
            List<BigInteger[]> rows = new ArrayList<>();
            List<long[]> costs = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long x = 1 + random.nextInt(300);
                long y = 1 + random.nextInt(300);
                rows.add(row(x, y, true)); // ⌊x/2⌋ + ⌊(x+1)/2⌋ = x: columns 1, 2, 3 are dependent
                costs.add(new long[] {7 * x + 2 * x * y, (x + 1) / 2 + y});
            }
            Rational[][] quick = Rational.Rounded.solve(rows, costs);
            if (quick != null) {
                quickOnes++;
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(costs.get(i)[0], eval(quick[0], rows.get(i)));
                    assertEquals(costs.get(i)[1], eval(quick[1], rows.get(i)));
                }
            }
        }
        assertTrue(quickOnes > 50, "the fast path takes most rank-deficient systems too: " + quickOnes);
    }

    @Test
    void anInconsistentSystemIsNoSolutionOnEitherPath() {
        List<BigInteger[]> rows = new ArrayList<>();
        List<long[]> costs = new ArrayList<>();
        for (long x = 1; x <= 6; x++) {
            rows.add(new BigInteger[] {BigInteger.ONE, BigInteger.valueOf(x)});
            costs.add(new long[] {x * x, 0}); // x² is not in the span of 1 and x
        }
        assertNull(Rational.Rounded.solve(rows, costs));
        assertNull(Rational.solve(rows, costs));
    }

    @Test
    void numbersPastADoublesExactRangeGoToTheExactElimination() {
        List<BigInteger[]> rows = new ArrayList<>();
        List<long[]> costs = new ArrayList<>();
        for (long x = 1; x <= 3; x++) {
            long big = (1L << 53) + x;
            rows.add(new BigInteger[] {BigInteger.ONE, BigInteger.valueOf(big)});
            costs.add(new long[] {big, 1});
        }
        assertNull(Rational.Rounded.solve(rows, costs));
        Rational[][] x = Rational.solve(rows, costs);
        assertEquals(Rational.of(BigInteger.ONE), x[0][1]);
        assertEquals(Rational.of(BigInteger.ONE), x[1][0]);
    }

    @Test
    void theModularPathSolvesWhatDoublesCannotAndReadsFractionsBack() {
        // 30 unknowns in powers of large sizes: doubles lose the digits, the prime field does not
        Random random = new Random(3);
        int m = 30;
        long[] coef = new long[m];
        for (int j = 0; j < m; j++) {
            coef[j] = random.nextInt(2) == 0 ? 0 : random.nextInt(100_000);
        }
        List<BigInteger[]> rows = new ArrayList<>();
        List<long[]> costs = new ArrayList<>();
        for (int i = 0; i < m + 1; i++) {
            long x = 24 + random.nextInt(376);
            long y = 24 + random.nextInt(376);
            long z = 1 + random.nextInt(64);
            BigInteger[] r = new BigInteger[m];
            long cost = 0;
            for (int j = 0; j < m; j++) { // monomials x^a·y^b·z^c with a, b < 3, c < 4 (36, first 30)
                long v = pow(x, j % 3) * pow(y, (j / 3) % 3) * pow(z, j / 9);
                r[j] = BigInteger.valueOf(v);
                cost = Math.addExact(cost, Math.multiplyExact(coef[j], v));
            }
            rows.add(r);
            costs.add(new long[] {cost, 2 * cost});
        }
        Rational[][] x = Rational.Modular.solve(rows, costs);
        assertNotNull(x);
        for (int j = 0; j < m; j++) {
            assertEquals(Rational.of(BigInteger.valueOf(coef[j])), x[0][j]);
            assertEquals(Rational.of(BigInteger.valueOf(2 * coef[j])), x[1][j]);
        }
        assertArrayEquals(x[0], Rational.solveExact(rows, costs)[0]);
    }

    @Test
    void fractionsAreReadBackFromTheirResidues() {
        long p = (1L << 61) - 1;
        for (long[] nd : new long[][] {{3, 1}, {-7, 2}, {1, 720}, {1_000_000_007L, 3}, {-123_456_789L, 1}}) {
            BigInteger inv = BigInteger.valueOf(nd[1]).modInverse(BigInteger.valueOf(p));
            long u = BigInteger.valueOf(nd[0]).multiply(inv).mod(BigInteger.valueOf(p)).longValue();
            assertEquals(Rational.of(BigInteger.valueOf(nd[0]), BigInteger.valueOf(nd[1])), Rational.Modular.fraction(u));
        }
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) { // what is read back is congruent; whether it is right, the exact check says
            long u = Math.floorMod(random.nextLong(), p);
            Rational r = Rational.Modular.fraction(u);
            if (r != null) {
                assertEquals(BigInteger.valueOf(u).multiply(r.den()).mod(BigInteger.valueOf(p)),
                        r.num().mod(BigInteger.valueOf(p)));
            }
        }
        assertEquals(6, Rational.Modular.mul(2, 3));
        assertEquals(1, Rational.Modular.mul(p - 1, p - 1), "(-1)·(-1)");
    }

    private static long pow(long b, int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= b;
        }
        return v;
    }
}
