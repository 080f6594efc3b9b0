package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test-side evaluator of the formula grammar FormulaPointsTest uses. */
class FormulaEvaluatorTest {

    private static final Map<String, BigInteger> AT = Map.of(
            "batch", BigInteger.valueOf(3), "seq", BigInteger.valueOf(7), "x_d2", BigInteger.valueOf(97),
            "s0", BigInteger.valueOf(2), "H", BigInteger.valueOf(-5));

    private static long eval(String text) {
        return FormulaEvaluator.evaluate(text, AT).longValueExact();
    }

    @Test
    void arithmeticAndPrecedence() {
        assertEquals(42, eval("42"));
        assertEquals(768 * 3 * 7 + 12 * 3 * 49, eval("768*batch*seq + 12*batch*seq^2"));
        assertEquals(1 + 2 * 3, eval("1+2*3"));
        assertEquals((1 + 2) * 3, eval("(1+2)*3"));
        assertEquals(10 - 4 - 3, eval("10 - 4 - 3"), "left associative");
        assertEquals(-49, eval("-seq^2"), "unary minus binds looser than ^");
        assertEquals(49, eval("(-seq)^2"));
        assertEquals(3 - -7, eval("batch - -seq"));
        assertEquals(2 * -7, eval("2*-seq"));
        assertEquals(1, eval("seq^0"));
        assertEquals(8, eval("2*s0^2"));
        assertEquals(2 * 97 * 97, eval("2 * x_d2 ^ 2"));
        assertEquals(6, eval(" \tbatch*s0 "));
    }

    @Test
    void floorAndCeilRoundTowardInfinities() {
        assertEquals(48, eval("floor(x_d2/2)"));
        assertEquals(49, eval("ceil(x_d2/2)"));
        assertEquals(49, eval("floor((x_d2 + 2*1 - 3)/2) + 1"), "conv k3 s2 p1 on 97");
        assertEquals(-3, eval("floor(H/2)"), "floor(-5/2) = -3, not the truncated -2");
        assertEquals(-2, eval("ceil(H/2)"));
        assertEquals(-3, eval("floor(5/-2)"));
        assertEquals(2, eval("floor(-5/-2)"));
        assertEquals(3, eval("ceil(-5/-2)"));
        assertEquals(3, eval("ceil(5/2)"));
        assertEquals(2, eval("floor(4/2)"));
        assertEquals(2, eval("ceil(4/2)"));
        assertEquals(0, eval("floor(0/7)"));
        assertThrows(ArithmeticException.class, () -> eval("floor(seq/(batch-3))"));
    }

    @Test
    void minMaxAndNesting() {
        assertEquals(3, eval("min(batch, seq)"));
        assertEquals(7, eval("max(batch,seq)"));
        assertEquals(64, eval("min(64, seq*10)"));
        assertEquals(-5, eval("min(H, 0)"));
        assertEquals(25, eval("max(floor(x_d2/4), ceil(seq/2))-min(batch,0)+1"));
    }

    @Test
    void bigValuesAreExact() {
        BigInteger big = FormulaEvaluator.evaluate("9223372036854775807*2 + x_d2^10", AT);
        assertEquals(BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(1).add(BigInteger.valueOf(97).pow(10)), big);
    }

    @Test
    void symbolsAreCollectedAndMustHaveValues() {
        assertEquals(Set.of("batch", "seq", "x_d2"),
                FormulaEvaluator.symbols(FormulaEvaluator.parse("batch*floor(x_d2/2) + max(seq, 1)^2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FormulaEvaluator.evaluate("width*2", AT));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
    }

    /** Everything outside the grammar of issue 13 is refused, not guessed at. */
    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "batch/2", "(batch+1)/2", "batch**2", "batch ** 2", "sqrt(batch)", "abs(seq)", "Min(batch,seq)",
        "FLOOR(batch/2)", "floor(batch)", "floor(batch,2)", "floor(batch/2/3)", "min(batch)", "min(batch/2,1)",
        "max(batch,seq,3)", "ceil(batch/2", "floor", "min", "seq^batch", "seq^-1", "seq^2.0", "seq^(2)", "seq^2^2",
        "2.5*seq", "1e3", "2seq", "batch seq", "batch*", "*batch", "+batch", "(batch", "batch)", "()", "batch % 2",
        "batch // 2", "batch & 1", "a.b", "s-0'", "batch==1", "seq?", "floor(seq/2)x", "seq^999"
    })
    void rejectsWhatIsNotInTheGrammar(String text) {
        assertThrows(IllegalArgumentException.class, () -> FormulaEvaluator.parse(text), text);
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> FormulaEvaluator.parse(null));
    }
}
