package dev.modeltally.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written number formats give exactly what {@code String.format} gave before. */
class NumbersTest {

    @Test
    void groupedIsFormattersGrouping() {
        long[] edges = {0, 1, -1, 9, 10, 99, 100, 999, 1000, -999, -1000, 9999, 10000, 123456, 1234567, -1234567,
            138357544, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (long n : edges) {
            assertEquals(String.format(Locale.ROOT, "%,d", n), Numbers.grouped(n));
        }
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            long n = random.nextLong() >> random.nextInt(64);
            assertEquals(String.format(Locale.ROOT, "%,d", n), Numbers.grouped(n));
        }
    }

    @Test
    void oneDecimalIsFormattersRounding() {
        double[] edges = {0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 0.96, 9.95, 99.95, 999.95, 1.45, 2.675,
            -0.04, -0.05, 1e-4, 5e-5, 4.9e-5, 1e-300, 1e7, 1.23456789e15, 1e16, 1e22, 1e23, Double.MIN_VALUE,
            Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 100.0, 33.333333333};
        for (double v : edges) {
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Numbers.oneDecimal(v), Double.toString(v));
        }
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            double v = switch (i % 4) {
                case 0 -> random.nextDouble() * 1000;
                case 1 -> random.nextInt(100_000) / 100.0 + 0.05;
                case 2 -> Double.longBitsToDouble(random.nextLong());
                default -> random.nextLong(1, Long.MAX_VALUE) / Math.pow(1000, random.nextInt(7));
            };
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Numbers.oneDecimal(v), Double.toString(v));
        }
    }

    @Test
    void shortBytesAndPercent() {
        long[] ns = {0, 1, 999, 1000, 999_949, 999_950, 1_000_000, 138_357_544, 30_900_000_000L, -2_500,
            Long.MAX_VALUE, Long.MIN_VALUE, 1023, 1024, 1025, 553_430_176, 5L << 50};
        for (long n : ns) {
            assertEquals(old(n), Numbers.short_(n), Long.toString(n));
            if (n >= 0) {
                assertEquals(oldBytes(n), Numbers.bytes(n), Long.toString(n));
            }
            assertEquals(n <= 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * 7 / n), Numbers.percent(7, n));
        }
    }

    @Test
    void rowsPadAsTheFormatterDid() {
        for (String label : new String[] {"", "bytes", "exactly14chars", "longer than fourteen"}) {
            assertEquals(String.format("  %-14s%s%n", label, "v"), Columns.row(label, "v"));
            assertEquals(String.format("%-8s|", label), Columns.padRight(label, 8) + "|");
        }
    }

    private static String old(long n) {
        double a = Math.abs((double) n);
        String[] units = {"", " K", " M", " G", " T", " P", " E"};
        int u = 0;
        while (a >= 999.95 && u < units.length - 1) {
            a /= 1000;
            u++;
        }
        return u == 0 ? Long.toString(n) : String.format(Locale.ROOT, "%.1f%s", Math.signum(n) * a, units[u]);
    }

    private static String oldBytes(long n) {
        double a = n;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (a >= 1024 && u < units.length - 1) {
            a /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", a, units[u]);
    }
}
