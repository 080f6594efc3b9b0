package dev.modeltally.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Unknown is its own state: never 0, never a number, and an overflow is unknown, never wrapped. */
class CountTest {

    @Test
    void unknownIsNotZeroAndHasNoNumber() {
        assertFalse(Count.UNKNOWN.known());
        assertFalse(Count.UNKNOWN.isZero());
        assertNotEquals(Count.ZERO, Count.UNKNOWN);
        assertTrue(Count.ZERO.known());
        assertThrows(IllegalStateException.class, Count.UNKNOWN::value);
        assertEquals(OptionalLong.empty(), Count.UNKNOWN.optional());
        assertEquals("?", Count.UNKNOWN.toString());
        assertEquals(Dim.UNKNOWN, Count.UNKNOWN.asDim());
    }

    @Test
    void anUnknownTermOrFactorKeepsTheResultUnknown() {
        assertFalse(Count.of(5).times(Count.UNKNOWN).known());
        assertFalse(Count.ZERO.times(Count.UNKNOWN).known(), "0 times unknown is unknown in arithmetic");
        assertFalse(Count.of(5).plus(Count.UNKNOWN).known());
        assertFalse(Count.sum(Count.ONE, Count.UNKNOWN, Count.ONE).known());
        assertFalse(Count.product(Dim.of(2), Dim.symbol("batch")).known());
        assertEquals(Count.of(6), Count.product(Dim.of(2), Dim.of(3)));
        assertEquals(Count.of(7), Count.of(3).plus(4));
    }

    @Test
    void aNodeThatNeverRunsCostsNothingEvenWhenItsCostIsUnknown() {
        assertEquals(Count.ZERO, Count.perRun(Count.UNKNOWN, Count.ZERO));
        assertEquals(Count.ZERO, Count.perRun(Count.ZERO, Count.UNKNOWN));
        assertFalse(Count.perRun(Count.of(3), Count.UNKNOWN).known());
        assertEquals(Count.of(12), Count.perRun(Count.of(3), Count.of(4)));
    }

    @Test
    void overflowIsUnknownNeverWrapped() {
        Count big = Count.of(Long.MAX_VALUE / 2 + 1);
        assertFalse(big.times(2).known());
        assertFalse(big.plus(big).known());
        assertFalse(Count.product(Long.MAX_VALUE, 2).known());
        assertEquals(Long.MAX_VALUE, Count.saturatingAdd(Long.MAX_VALUE, 1), "totals of known terms saturate");
        Shape huge = Shape.of(1L << 40, 1L << 40);
        assertFalse(Shapes.elements(huge).known(), "an element count past 2^63 - 1 is unknown");
    }

    @Test
    void aNegativeSizeFromAFileIsUnknownAndANegativeCountIsABug() {
        assertFalse(Count.ofSize(-1).known());
        assertFalse(Count.of(5).times(-1).known(), "a broken attribute (negative) makes the product unknown");
        assertFalse(Count.ofPositive(0).known());
        assertThrows(IllegalArgumentException.class, () -> Count.of(-1));
        assertFalse(Count.of(10).div(0).known());
        assertEquals(Count.of(3), Count.of(10).div(3));
    }

    @Test
    void costsKeepMacsAndOtherUnknownApart() {
        Cost c = Cost.of(Count.of(10), Count.UNKNOWN);
        assertEquals(Count.of(10), c.macs());
        assertFalse(c.other().known());
        Cost sum = c.plus(Cost.of(Count.of(5), Count.of(1)));
        assertEquals(Count.of(15), sum.macs());
        assertFalse(sum.other().known(), "an unknown term keeps the sum unknown, never 0");
        assertEquals(Cost.UNKNOWN, Cost.elementwise(Count.UNKNOWN), "elementwise of an unknown count: MACs unknown too");
        assertEquals(Cost.of(Count.ZERO, Count.of(4)), Cost.elementwise(Count.of(4)));
        assertEquals(Cost.of(Count.of(20), Count.of(2)), Cost.of(Count.of(10), Count.ONE).times(2));
        assertFalse(Cost.FREE.times(Count.UNKNOWN).macs().known());
        OpResult r = OpResult.builder().output(Tensor.UNKNOWN).build();
        assertFalse(r.macs().known(), "a rule that sets no cost leaves it unknown, not 0");
        assertFalse(r.otherFlops().known());
        assertEquals(List.of(Tensor.UNKNOWN), r.outputs());
    }
}
