package dev.modeltally.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Human-readable numbers for tables: 138,357,544 and 138.4 M. Exact figures stay in JSON. Written out by hand
 * rather than with {@code String.format}: the first {@code %d} or {@code %f} of a process loads the JDK's
 * locale data (about 7 ms of an {@code inspect} run); the results are those of {@code %,d} and
 * {@code %.1f} in {@code Locale.ROOT} (NumbersTest compares them).
 */
public final class Numbers {

    private Numbers() {
    }

    /** {@code String.format(Locale.ROOT, "%,d", n)}. */
    public static String grouped(long n) {
        String digits = Long.toString(n);
        int start = n < 0 ? 1 : 0;
        int len = digits.length() - start;
        if (len <= 3) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(digits.length() + len / 3);
        int first = start + (len % 3 == 0 ? 3 : len % 3);
        sb.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            sb.append(',').append(digits, i, i + 3);
        }
        return sb.toString();
    }

    /** 138.4 M, 7.8 M, 2.5 K, 30.9 G; plain below 1,000. */
    public static String short_(long n) {
        double a = Math.abs((double) n);
        String[] units = {"", " K", " M", " G", " T", " P", " E"};
        int u = 0;
        while (a >= 999.95 && u < units.length - 1) {
            a /= 1000;
            u++;
        }
        if (u == 0) {
            return Long.toString(n);
        }
        return oneDecimal(Math.signum(n) * a) + units[u];
    }

    /** 527.8 MiB. */
    public static String bytes(long n) {
        double a = n;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (a >= 1024 && u < units.length - 1) {
            a /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : oneDecimal(a) + " " + units[u];
    }

    public static String percent(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        return oneDecimal(100.0 * part / whole) + "%";
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", v)}: the formatter rounds the shortest decimal that reads back
     * as {@code v} (the digits of {@code Double.toString}) half up, keeping the sign of a negative zero.
     */
    static String oneDecimal(double v) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (Double.compare(v, 0.0) < 0) {
            return "-" + oneDecimal(-v);
        }
        String s = Double.toString(v);
        int dot = s.indexOf('.');
        if (s.indexOf('E') >= 0 || dot < 0 || dot > 15) {
            return new BigDecimal(s).setScale(1, RoundingMode.HALF_UP).toPlainString();
        }
        long tenths = Long.parseLong(s, 0, dot, 10) * 10 + (s.charAt(dot + 1) - '0');
        if (dot + 2 < s.length() && s.charAt(dot + 2) >= '5') {
            tenths++;
        }
        return (tenths / 10) + "." + (tenths % 10);
    }
}
