package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Arithmetic on dimensions that may be symbolic. A symbolic dim is kept as a product of named
 * factors with an integer coefficient ({@code batch}, {@code 12*sequence}, {@code batch*sequence}),
 * so that Reshape's -1 and Flatten over symbolic dims still resolve; anything else (sums of
 * symbols, non-exact division) becomes Unknown rather than a guess.
 */
public final class DimMath {

    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern INT = Pattern.compile("\\d+");

    /** coef * (product of syms), syms sorted. */
    record Mono(long coef, List<String> syms) {
    }

    private DimMath() {
    }

    static Mono parse(Dim d) {
        if (d instanceof Dim.Fixed f) {
            return new Mono(f.value(), List.of());
        }
        if (!(d instanceof Dim.Symbolic s)) {
            return null;
        }
        String[] parts = s.name().split("\\*", -1);
        long coef = 1;
        List<String> syms = new ArrayList<>();
        for (String raw : parts) {
            String p = raw.strip();
            if (INT.matcher(p).matches() && p.length() < 18) {
                coef *= Long.parseLong(p);
            } else if (IDENT.matcher(p).matches()) {
                syms.add(p);
            } else {
                return new Mono(1, List.of(s.name())); // an expression we do not read: one opaque factor
            }
        }
        Collections.sort(syms);
        return new Mono(coef, syms);
    }

    static Dim format(Mono m) {
        if (m == null || m.coef < 0) {
            return Dim.UNKNOWN;
        }
        if (m.syms.isEmpty() || m.coef == 0) {
            return Dim.of(m.coef);
        }
        String body = String.join("*", m.syms);
        return Dim.symbol(m.coef == 1 ? body : m.coef + "*" + body);
    }

    public static Dim mul(Dim a, Dim b) {
        Mono x = parse(a);
        Mono y = parse(b);
        if (x == null || y == null) {
            if ((x != null && x.coef == 0 && x.syms.isEmpty()) || (y != null && y.coef == 0 && y.syms.isEmpty())) {
                return Dim.of(0);
            }
            return Dim.UNKNOWN;
        }
        try {
            List<String> syms = new ArrayList<>(x.syms);
            syms.addAll(y.syms);
            Collections.sort(syms);
            return format(new Mono(Math.multiplyExact(x.coef, y.coef), syms));
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN;
        }
    }

    public static Dim product(List<Dim> dims) {
        Dim p = Dim.of(1);
        for (Dim d : dims) {
            p = mul(p, d);
        }
        return p;
    }

    /** a / b when it divides exactly (symbols cancel), else Unknown. */
    public static Dim div(Dim a, Dim b) {
        Mono x = parse(a);
        Mono y = parse(b);
        if (x == null || y == null || y.coef == 0 || x.coef % y.coef != 0) {
            return Dim.UNKNOWN;
        }
        List<String> rest = new ArrayList<>(x.syms);
        for (String s : y.syms) {
            if (!rest.remove(s)) {
                return Dim.UNKNOWN;
            }
        }
        return format(new Mono(x.coef / y.coef, rest));
    }

    public static Dim add(Dim a, Dim b) {
        if (a instanceof Dim.Fixed x && b instanceof Dim.Fixed y) {
            try {
                return Dim.of(Math.addExact(x.value(), y.value()));
            } catch (ArithmeticException e) {
                return Dim.UNKNOWN;
            }
        }
        if (isZero(a)) {
            return b;
        }
        if (isZero(b)) {
            return a;
        }
        return Dim.UNKNOWN;
    }

    public static Dim sum(List<Dim> dims) {
        Dim s = Dim.of(0);
        for (Dim d : dims) {
            s = add(s, d);
        }
        return s;
    }

    public static boolean isZero(Dim d) {
        return d instanceof Dim.Fixed f && f.value() == 0;
    }

    public static boolean isOne(Dim d) {
        return d instanceof Dim.Fixed f && f.value() == 1;
    }

    /**
     * Two statements about the same dimension: the more specific wins (Fixed over Symbolic over
     * Unknown); two different Fixed sizes, or two different symbols, give Unknown.
     */
    public static Dim unify(Dim a, Dim b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof Dim.Unknown) {
            return b;
        }
        if (b instanceof Dim.Unknown) {
            return a;
        }
        if (a instanceof Dim.Fixed && b instanceof Dim.Symbolic) {
            return a;
        }
        if (b instanceof Dim.Fixed && a instanceof Dim.Symbolic) {
            return b;
        }
        return Dim.UNKNOWN;
    }

    /** True when a and b are known to differ (two different fixed sizes). */
    public static boolean conflict(Dim a, Dim b) {
        return a instanceof Dim.Fixed x && b instanceof Dim.Fixed y && x.value() != y.value();
    }
}
