package dev.modeltally.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * An expected figure as model cards write it ({@code 138357544}, {@code 138,357,544},
 * {@code 138.36M}, {@code 7.7M}, {@code 30.9G}, {@code 1.2B}) with the tolerance its rounding implies:
 * half a unit of the last written digit ({@code 7.7M} accepts 7,650,000..7,750,000). A plain integer
 * must match exactly. An explicit tolerance ({@code 0.5%} or an absolute count) replaces that.
 */
public record Expected(String text, long value, long tolerance) {

    /** Parses a figure; throws IllegalArgumentException with a one-line message for bad input. */
    public static Expected parse(String text, String explicitTolerance) {
        String s = text.strip().replace(",", "").replace("_", "").replace(" ", "");
        String lower = s.toLowerCase(Locale.ROOT);
        for (String unit : new String[] {"flops", "flop", "macs", "params"}) {
            if (lower.endsWith(unit)) {
                s = s.substring(0, s.length() - unit.length());
                lower = lower.substring(0, lower.length() - unit.length());
            }
        }
        long multiplier = 1;
        if (!s.isEmpty()) {
            char last = Character.toUpperCase(s.charAt(s.length() - 1));
            multiplier = switch (last) {
                case 'K' -> 1_000L;
                case 'M' -> 1_000_000L;
                case 'G', 'B' -> 1_000_000_000L;
                case 'T' -> 1_000_000_000_000L;
                default -> 1;
            };
            if (multiplier != 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        BigDecimal number;
        try {
            number = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + text + "' (try 138357544, 138.36M or 30.9G)");
        }
        if (number.signum() < 0) {
            throw new IllegalArgumentException("negative figure: '" + text + "'");
        }
        BigDecimal scaled = number.multiply(BigDecimal.valueOf(multiplier));
        long value;
        try {
            value = scaled.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("figure too large: '" + text + "'");
        }
        long tolerance;
        if (explicitTolerance != null) {
            tolerance = tolerance(explicitTolerance, value);
        } else if (multiplier == 1 && number.scale() <= 0) {
            tolerance = 0;
        } else {
            // half a unit in the last written digit
            BigDecimal halfUlp = BigDecimal.ONE.movePointLeft(Math.max(0, number.scale()))
                    .multiply(BigDecimal.valueOf(multiplier)).divide(BigDecimal.valueOf(2));
            tolerance = halfUlp.setScale(0, RoundingMode.FLOOR).longValue();
        }
        return new Expected(text.strip(), value, tolerance);
    }

    private static long tolerance(String t, long value) {
        String s = t.strip();
        try {
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                if (pct < 0) {
                    throw new NumberFormatException();
                }
                return (long) Math.floor(value * pct / 100.0);
            }
            return parse(s, null).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a tolerance: '" + t + "' (try 0.5% or 1000)");
        }
    }

    public boolean matches(long actual) {
        return Math.abs(actual - value) <= tolerance;
    }
}
