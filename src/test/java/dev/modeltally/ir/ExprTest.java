package dev.modeltally.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExprTest {

    private static final Expr H = Expr.symbol("H");
    private static final Expr B = Expr.symbol("batch");

    @Test
    void canonicalFormMakesEqualExpressionsEqual() {
        Expr a = H.plus(B).times(H.minus(B));
        Expr b = H.pow(2).minus(B.pow(2));
        assertEquals(b, a);
        assertEquals("H^2 - batch^2", a.toString());
        assertTrue(H.minus(H).isConstant());
        assertEquals(Expr.ZERO, H.minus(H));
    }

    @Test
    void floorDivisionPullsOutWholeMultiplesAndMergesNestedFloors() {
        assertEquals(H, Expr.floorDiv(H.times(4), 4));
        assertEquals(H.plus(1), Expr.floorDiv(H.times(2).plus(3), 2));
        assertEquals("floor((H + 1)/2)", Expr.ceilDiv(H, 2).toString());
        // floor((floor((H+1)/2) + 1)/2) = floor((H+3)/4)
        Expr twice = Expr.floorDiv(Expr.floorDiv(H.plus(1), 2).plus(1), 2);
        assertEquals("floor((H + 3)/4)", twice.toString());
        assertEquals(Expr.floorDiv(H, 3), Expr.floorDiv(H.times(2), 6)); // common factor
    }

    @Test
    void floorAndCeilAgreeWithIntegerArithmeticAtManyPoints() {
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            long h = r.nextInt(1000);
            long d = 1 + r.nextInt(9);
            long c = r.nextInt(20) - 10;
            Expr f = Expr.floorDiv(H.times(3).plus(c), d);
            Expr g = Expr.ceilDiv(H.plus(c), d);
            assertEquals(Math.floorDiv(3 * h + c, d), f.eval(Map.of("H", h)));
            assertEquals(-Math.floorDiv(-(h + c), d), g.eval(Map.of("H", h)));
        }
    }

    @Test
    void minMaxDecideConstantDifferencesAndAbsorb() {
        assertEquals(H.plus(2), Expr.max(H, H.plus(2)));
        assertEquals(H, Expr.min(H, H.plus(2)));
        Expr m = Expr.min(H, Expr.constant(512));
        assertEquals(H, Expr.max(H, m));
        assertEquals("min(512, H)", m.toString());
        assertEquals(300, m.eval(Map.of("H", 300L)));
        assertEquals(512, m.eval(Map.of("H", 900L)));
    }

    @Test
    void exactDivisionCancelsFactorsAndRefusesTheInexact() {
        Expr total = B.times(H).times(768);
        assertEquals(H.times(12), total.exactDiv(B.times(64)));
        assertEquals(B, H.plus(2).times(B).exactDiv(H.plus(2)));
        assertNull(total.exactDiv(Expr.constant(7)));
        assertNull(H.plus(1).exactDiv(H));
    }

    @Test
    void parsesWhatItPrints() {
        Expr e = Expr.floorDiv(H.plus(1), 2).times(B).times(64).plus(Expr.max(H, B)).minus(Expr.constant(3));
        assertEquals(e, Expr.parse(e.toString()));
        assertEquals(e, Expr.parse(" " + e + " "));
        assertEquals(Expr.parse("ceil(H/2)"), Expr.parse("floor((H+1)/2)"));
        assertEquals(Expr.parse("2*H^2 - (H - 1)*(H + 1)"), Expr.parse("H^2 + 1"));
        assertEquals(-5, Expr.parse("-(2+3)").eval(Map.of()));
    }

    @Test
    void parserRejectsWhatIsNotInTheGrammar() {
        for (String bad : new String[] {"H/2", "H**2", "sqrt(H)", "floor(H/0)", "floor(H/x)", "H +", "(H", "2^H",
                "H^-1", "min(H)", "H % 2", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Expr.parse(bad), bad);
        }
    }

    @Test
    void dimNamesReadAsExpressionsOnlyWhenTheyAreOne() {
        assertEquals(Expr.symbol("s0").times(2), Expr.ofName("2*s0"));
        assertEquals(Expr.symbol("batch_size"), Expr.ofName("batch_size"));
        assertEquals(Expr.symbol("sequence length"), Expr.ofName("sequence length"));
        assertEquals(Expr.symbol("7"), Expr.ofName("7"));
        assertTrue(Dim.symbol("2*s0") instanceof Dim.Symbolic);
    }

    @Test
    void substitutionBindsSymbolsAndSimplifies() {
        Expr e = Expr.floorDiv(H.plus(1), 2).times(B);
        assertEquals(Expr.floorDiv(H.plus(1), 2).times(3), e.substitute(s -> s.equals("batch") ? Expr.constant(3) : null));
        assertEquals(Expr.constant(33), e.substitute(s -> Expr.constant(s.equals("H") ? 21 : 3)));
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        Expr big = Expr.constant(Long.MAX_VALUE / 2).times(H);
        assertThrows(ArithmeticException.class, () -> big.times(4));
        assertThrows(ArithmeticException.class, () -> big.eval(Map.of("H", 3L)));
    }

    @Test
    void expressionsThatGrowWithoutBoundAreAnErrorNotAHang() {
        Expr e = Expr.parse("a + b + c + d + e");
        Expr grown = e;
        boolean stopped = false;
        for (int i = 0; i < 20 && !stopped; i++) {
            try {
                grown = grown.times(grown).plus(grown); // terms grow past any bound
            } catch (ArithmeticException x) {
                stopped = true;
            }
        }
        assertTrue(stopped, "a squaring chain must stop");
        Expr h = H;
        boolean degree = false;
        for (int i = 0; i < 10 && !degree; i++) {
            try {
                h = h.times(h); // H^(2^i): degree past 64
            } catch (ArithmeticException x) {
                degree = true;
            }
        }
        assertTrue(degree, "degree is bounded");
    }

    @Test
    void dimsOfExpressions() {
        assertEquals(Dim.of(5), Dim.of(Expr.constant(5)));
        assertEquals(Dim.UNKNOWN, Dim.of(Expr.constant(-1)));
        assertEquals(H, Dim.of(H).expr());
        assertNull(Dim.UNKNOWN.expr());
    }

    @Test
    void sharedNestedSizesEvaluateOnceEach() {
        // each level reads the one below twice (a multi-resolution net's fused branches): the value
        // with each floor and min/max evaluated once is the value of the tree as written
        Expr x = Expr.symbol("H");
        for (int i = 0; i < 9; i++) {
            x = Expr.max(Expr.floorDiv(x.plus(1), 2), Expr.min(x, Expr.constant(500)));
        }
        Expr e = x;
        for (long h : new long[] {0, 1, 7, 999, 2000}) {
            long want = h;
            for (int i = 0; i < 9; i++) {
                want = Math.max(Math.floorDiv(want + 1, 2), Math.min(want, 500));
            }
            assertEquals(want, e.eval(java.util.Map.of("H", h)), "H = " + h);
        }
        assertEquals(java.util.Set.of("H"), e.symbols());
    }
}
