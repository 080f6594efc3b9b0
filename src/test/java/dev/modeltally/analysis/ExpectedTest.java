package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpectedTest {

    @Test
    void plainIntegersMustMatchExactly() {
        Expected e = Expected.parse("138,357,544", null);
        assertEquals(138_357_544L, e.value());
        assertEquals(0, e.tolerance());
        assertTrue(e.matches(138_357_544L));
        assertFalse(e.matches(138_357_545L));
    }

    @Test
    void modelCardFormsCarryTheirRounding() {
        Expected e = Expected.parse("138.36M", null);
        assertEquals(138_360_000L, e.value());
        assertEquals(5_000L, e.tolerance());
        assertTrue(e.matches(138_357_544L));
        Expected u = Expected.parse("7.7M", null);
        assertTrue(u.matches(7_759_554L) == false);
        assertTrue(Expected.parse("7.76M", null).matches(7_759_554L));
        Expected g = Expected.parse("30.9G", null);
        assertEquals(50_000_000L, g.tolerance());
        assertTrue(g.matches(30_940_528_640L));
        assertEquals(1_200_000_000L, Expected.parse("1.2B", null).value());
        assertEquals(2_500L, Expected.parse("2.5k", null).value());
        assertEquals(30_900_000_000L, Expected.parse("30.9 GFLOPs", null).value());
    }

    @Test
    void explicitToleranceReplacesTheImpliedOne() {
        Expected e = Expected.parse("138357544", "0.5%");
        assertEquals(691_787L, e.tolerance());
        assertEquals(1000, Expected.parse("7.7M", "1000").tolerance());
        assertThrows(IllegalArgumentException.class, () -> Expected.parse("12", "lots"));
    }

    @Test
    void badFiguresAreRejectedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expected.parse("abc", null));
        assertTrue(e.getMessage().contains("not a number"));
        assertThrows(IllegalArgumentException.class, () -> Expected.parse("-5", null));
        assertThrows(IllegalArgumentException.class, () -> Expected.parse("99999999999T", null));
    }
}
