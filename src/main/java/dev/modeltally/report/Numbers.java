package dev.modeltally.report;

import java.util.Locale;

/** Human-readable numbers for tables: 138,357,544 and 138.4 M. Exact figures stay in JSON. */
public final class Numbers {

    private Numbers() {
    }

    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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
        return String.format(Locale.ROOT, "%.1f%s", Math.signum(n) * a, units[u]);
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
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", a, units[u]);
    }

    public static String percent(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
