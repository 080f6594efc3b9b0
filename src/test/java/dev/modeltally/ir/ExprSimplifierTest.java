package dev.modeltally.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExprSimplifierTest {

    private static final Expr S = Expr.symbol("sequence");
    private static final Expr A = Expr.symbol("a");
    private static final Expr B = Expr.symbol("b");
    private static final Expr ONE = Expr.ONE;

    private static Expr simplify(String text) {
        return ExprSimplifier.simplify(Expr.parse(text));
    }

    @Test
    void theGpt2SliceNestIsTheSequence() {
        String nest = "max(max(-min(1, min(1, sequence) + sequence) + min(min(1, sequence) + sequence, sequence + 1), 0),"
                + " sequence)";
        assertEquals(S, simplify(nest));
        assertEquals(S.times(Expr.symbol("batch")).times(4), simplify("4*batch*" + nest));
        // the activations' form: the same nest times min(1, min(nest-inner, sequence))
        String inner = "max(-min(1, min(1, sequence) + sequence) + min(min(1, sequence) + sequence, sequence + 1), 0)";
        assertEquals(Expr.parse("26*batch*sequence"),
                simplify("26*batch*" + nest + "*min(1, min(" + inner + ", sequence))"));
        assertEquals(Expr.parse("8*batch*sequence"), simplify("8*batch*" + inner));
    }

    @Test
    void theExactBroadcastFormReadsAsTheDimWhereItIsOne() {
        // broadcasting a against b is max(a, b)·min(1, min(a, b)) (0 when either is 0)
        assertEquals(S, ExprSimplifier.simplify(broadcast(S, ONE)));
        assertEquals(S, ExprSimplifier.simplify(broadcast(S, S)));
        assertEquals(S.times(A), ExprSimplifier.simplify(broadcast(S, ONE).times(A)));
        // two different symbols: nothing is decided
        Expr ab = broadcast(A, B);
        assertEquals(ab, ExprSimplifier.simplify(ab));
    }

    private static Expr broadcast(Expr a, Expr b) {
        return Expr.max(a, b).times(Expr.min(ONE, Expr.min(a, b)));
    }

    @Test
    void sliceClampsThatHoldEverywhereDropOut() {
        // x[1:] of a dim n is max(0, n - min(1, n)): n - min(1, n) >= 0 is proved, the clamp goes
        assertEquals(Expr.parse("sequence - min(1, sequence)"), simplify("max(0, sequence - min(1, sequence))"));
        // x[-1:] is n - max(0, n - 1) = min(1, n): written either way, it reads min(1, n)
        assertEquals(Expr.parse("min(1, sequence)"), simplify("sequence - max(0, sequence - 1)"));
        // a clamp to a real limit stays
        assertEquals(Expr.parse("min(512, sequence)"), simplify("min(512, max(0, min(sequence, sequence + 3)))"));
        // seq ≤ seq² for integers >= 0
        assertEquals(S, simplify("min(sequence, sequence^2)"));
        assertEquals(Expr.parse("a*sequence^2"), simplify("max(a*sequence, a*sequence^2)"));
    }

    @Test
    void whatIsNotDecidedStays() {
        for (String s : new String[] {"min(1, sequence)", "max(a, b)", "min(a, b)", "min(128, sequence)",
                "24*batch*min(1, sequence) + 3*sequence", "max(a, 2*b + 1)", "min(2, sequence)",
                "sequence - min(1, sequence)", "floor(min(a, b)/2)"}) {
            Expr e = Expr.parse(s);
            assertSame(e, ExprSimplifier.simplify(e), s);
        }
    }

    @Test
    void noMinMaxIsReturnedAsItIs() {
        Expr e = Expr.parse("3*a^2 + floor((a + 1)/2) - 7");
        assertSame(e, ExprSimplifier.simplify(e));
        assertEquals(null, ExprSimplifier.simplify(null));
    }

    @Test
    void peakCandidatesThatAnotherIsAtLeastAreDropped() {
        Expr peak = Expr.parse("max(a*b + 16, max(a*b + 8, max(2*a*b^2 + 16, max(3*a + 4, min(1, a)*a + 2*a))))");
        // a*b + 8 <= a*b + 16; a*b + 16 vs 2ab² + 16: ab ≤ 2ab² for integers; min(1,a)·a + 2a = 3a ≤ 3a + 4
        assertEquals(Expr.parse("max(2*a*b^2 + 16, 3*a + 4)"), ExprSimplifier.simplify(peak));
        // no single one covers the middle one, but on each face (a or b 0; both >= 1) the first or a mean
        // of the first and the last does
        assertEquals(Expr.parse("max(204100*a*b, 96*a*b^2 + 6144*a*b + 16)"),
                simplify("max(96*a*b^2 + 6144*a*b + 16, max(48*a*b^2 + 12288*a*b + 16, 204100*a*b))"));
        // one more byte at a = 0 or b = 0 and it is the largest there: it stays
        Expr stays = Expr.parse("max(96*a*b^2 + 6144*a*b + 16, max(48*a*b^2 + 12288*a*b + 17, 204100*a*b))");
        assertSame(stays, ExprSimplifier.simplify(stays));
        Expr both = Expr.parse("max(a + 1, b + 1)");
        assertEquals(both, ExprSimplifier.simplify(both));
    }

    @Test
    void randomExpressionsKeepTheirValueAtEveryPointOfAGrid() {
        Random r = new Random(20261201L);
        long[] grid = {0, 1, 2, 3, 4, 7, 16, 100};
        int changed = 0;
        for (int i = 0; i < 600; i++) {
            Expr e = random(r, 4);
            Expr s = ExprSimplifier.simplify(e);
            if (!s.equals(e)) {
                changed++;
            }
            for (long x : grid) {
                for (long y : grid) {
                    for (long z : new long[] {0, 1, 5}) {
                        Map<String, Long> p = Map.of("a", x, "b", y, "c", z);
                        assertEquals(e.eval(p), s.eval(p), () -> e + "  vs  " + s + " at " + p);
                    }
                }
            }
            assertTrue(ExprSimplifier.minMaxCount(s) <= ExprSimplifier.minMaxCount(e));
        }
        assertTrue(changed > 100, "only " + changed + " of 600 simplified");
    }

    @Test
    void randomPeaksKeepTheirValueAtEveryPointOfAGrid() {
        // peaks as the memory timeline makes them: the max of many polynomials of sizes, some with clamps
        Random r = new Random(42L);
        long[] grid = {0, 1, 2, 3, 5, 50, 1000};
        int dropped = 0;
        for (int i = 0; i < 150; i++) {
            Expr peak = null;
            int n = 2 + r.nextInt(14);
            for (int k = 0; k < n; k++) {
                Expr c = Expr.constant(r.nextInt(50));
                for (Expr m : new Expr[] {A, B, A.times(B), A.times(B).times(B), Expr.symbol("c"), Expr.min(ONE, A),
                        Expr.max(A, B).times(Expr.min(ONE, Expr.min(A, B)))}) {
                    if (r.nextInt(3) == 0) {
                        c = c.plus(m.times(r.nextInt(300)));
                    }
                }
                peak = peak == null ? c : Expr.max(peak, c);
            }
            Expr p = peak;
            Expr s = ExprSimplifier.simplify(p);
            dropped += ExprSimplifier.maxOperands(p).size() - ExprSimplifier.maxOperands(s).size();
            for (long x : grid) {
                for (long y : grid) {
                    for (long z : new long[] {0, 1, 7}) {
                        Map<String, Long> at = Map.of("a", x, "b", y, "c", z);
                        assertEquals(p.eval(at), s.eval(at), () -> p + "  vs  " + s + " at " + at);
                    }
                }
            }
        }
        assertTrue(dropped > 200, "only " + dropped + " candidates dropped");
    }

    @Test
    void aPeakOfManyCandidatesOverManySymbolsReturnsWithinATimeBound() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Random r = new Random(3);
            Expr peak = Expr.ZERO;
            for (int k = 0; k < 90; k++) {
                Expr c = Expr.constant(r.nextInt(100));
                for (int j = 0; j < 3; j++) {
                    Expr s = Expr.symbol("s" + r.nextInt(8));
                    c = c.plus(s.times(Expr.symbol("s" + r.nextInt(8))).times(r.nextInt(50)))
                            .plus(Expr.min(ONE, s).times(r.nextInt(9)));
                }
                peak = Expr.max(peak, c);
            }
            Expr s = ExprSimplifier.simplify(peak);
            Map<String, Long> at = new HashMap<>();
            for (int i = 0; i < 8; i++) {
                at.put("s" + i, (long) i);
            }
            assertEquals(peak.eval(at), s.eval(at));
        });
    }

    /** An expression of a, b, c from the operations shape rules use: sums, small products, floors, clamps. */
    private static Expr random(Random r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(5)) {
                case 0 -> Expr.constant(r.nextInt(5) - 1);
                case 1 -> A;
                case 2 -> B;
                case 3 -> Expr.symbol("c");
                default -> A.plus(r.nextInt(3) - 1);
            };
        }
        Expr x = random(r, depth - 1);
        Expr y = random(r, depth - 1);
        return switch (r.nextInt(9)) {
            case 0 -> x.plus(y);
            case 1 -> x.minus(y);
            case 2 -> x.times(r.nextInt(3) + 1);
            case 3 -> x.degree() + y.degree() <= 3 ? x.times(y) : x.plus(y);
            case 4 -> Expr.floorDiv(x, 1 + r.nextInt(3));
            case 5, 6 -> Expr.min(x, y);
            default -> Expr.max(x, y);
        };
    }

    @Test
    void aHostileExpressionReturnsWithinATimeBound() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            // many symbols, each in a clamp that only decides at 0, and a long chain of nested clamps
            Expr e = Expr.ZERO;
            List<Expr> syms = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Expr s = Expr.symbol("s" + i);
                Expr prev = syms.isEmpty() ? ONE : syms.get(syms.size() - 1);
                e = e.plus(Expr.min(ONE, s).times(s)).plus(Expr.max(s, Expr.min(ONE, s.plus(prev))));
                syms.add(s);
            }
            Expr chain = syms.get(0);
            for (int i = 1; i < 9; i++) {
                chain = Expr.max(Expr.min(chain, syms.get(i)), Expr.min(ONE, chain.plus(syms.get(i))));
            }
            for (Expr x : new Expr[] {e, chain, e.plus(chain)}) {
                Expr s = ExprSimplifier.simplify(x);
                Map<String, Long> p = new HashMap<>();
                for (int i = 0; i < syms.size(); i++) {
                    p.put("s" + i, (long) (i % 3));
                }
                assertEquals(x.eval(p), s.eval(p));
            }
        });
    }
}
