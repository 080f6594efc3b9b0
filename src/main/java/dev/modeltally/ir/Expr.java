package dev.modeltally.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * An exact integer expression of named symbols: a polynomial with integer coefficients over atoms,
 * an atom being a symbol, {@code floor(p/d)} of a polynomial by a positive integer, or the
 * {@code min}/{@code max} of two expressions. The form is canonical (equal expressions are equal
 * objects), so that shape inference can compare and cancel symbolic dims. Arithmetic that overflows
 * a long throws {@link ArithmeticException}: callers treat that as unknown.
 *
 * <p>Printed and parsed in the formula grammar: integers, symbols, {@code + - *}, {@code ^} with an
 * integer exponent, parentheses, {@code floor(a/b)}, {@code ceil(a/b)}, {@code min(a,b)},
 * {@code max(a,b)}. Ceilings are kept as floors: {@code ceil(a/d) = floor((a+d-1)/d)}.
 */
public final class Expr implements Comparable<Expr> {

    /** One factor: a symbol, a floor division, a min or a max. Ordered by its printed form. */
    public sealed interface Atom extends Comparable<Atom> permits Sym, Floor, MinMax {
        String key();

        long eval(ToLongFunction<String> symbols);

        /** With the values of floors and min/max met before in this evaluation (shared sub-expressions). */
        default long eval(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            Long known = memo.get(this);
            if (known != null) {
                return known;
            }
            long v = compute(symbols, memo);
            memo.put(this, v);
            return v;
        }

        /** The value, its operands evaluated with {@code memo}. */
        long compute(ToLongFunction<String> symbols, Map<Atom, Long> memo);

        String print(Notation n);

        @Override
        default int compareTo(Atom o) {
            return key().compareTo(o.key());
        }
    }

    public record Sym(String name) implements Atom {
        @Override
        public String key() {
            return name;
        }

        @Override
        public long eval(ToLongFunction<String> symbols) {
            return symbols.applyAsLong(name);
        }

        @Override
        public long eval(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            return symbols.applyAsLong(name); // nothing to share
        }

        @Override
        public long compute(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            return symbols.applyAsLong(name);
        }

        @Override
        public String print(Notation n) {
            return n.names().apply(name);
        }
    }

    public record Floor(Expr num, long den, String key) implements Atom {
        Floor(Expr num, long den) {
            this(num, den, "floor(" + group(num.text(), num) + "/" + den + ")");
        }

        /** By the printed form, which the canonical numerator and divisor determine (one string compare). */
        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Floor f && f.key.equals(key));
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public long eval(ToLongFunction<String> symbols) {
            return eval(symbols, new java.util.HashMap<>());
        }

        @Override
        public long compute(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            return Math.floorDiv(num.eval(symbols, memo), den);
        }

        @Override
        public String print(Notation n) {
            String body = group(num.print(n), num) + "/" + den;
            return n.readable() ? "⌊" + body + "⌋" : "floor(" + body + ")";
        }
    }

    public record MinMax(boolean max, Expr a, Expr b, String key) implements Atom {
        MinMax(boolean max, Expr a, Expr b) {
            this(max, a, b, (max ? "max(" : "min(") + a.text() + ", " + b.text() + ")");
        }

        /** By the printed form, which the kind and the canonical operands determine. */
        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof MinMax m && m.key.equals(key));
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public long eval(ToLongFunction<String> symbols) {
            return eval(symbols, new java.util.HashMap<>());
        }

        @Override
        public long compute(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            long x = a.eval(symbols, memo);
            long y = b.eval(symbols, memo);
            return max ? Math.max(x, y) : Math.min(x, y);
        }

        @Override
        public String print(Notation n) {
            return (max ? "max(" : "min(") + a.print(n) + ", " + b.print(n) + ")";
        }
    }

    /** A product of atoms with positive exponents; the empty product is the constant term. */
    record Mono(TreeMap<Atom, Integer> factors, int degree, String key) implements Comparable<Mono> {
        static final Mono ONE = new Mono(new TreeMap<>(), 0, "");

        static Mono of(TreeMap<Atom, Integer> factors) {
            int deg = 0;
            StringBuilder k = new StringBuilder();
            for (Map.Entry<Atom, Integer> e : factors.entrySet()) {
                deg += e.getValue();
                if (!k.isEmpty()) {
                    k.append('*');
                }
                k.append(e.getKey().key());
                if (e.getValue() > 1) {
                    k.append('^').append(e.getValue());
                }
            }
            if (deg > MAX_DEGREE || k.length() > MAX_KEY) {
                throw new ArithmeticException("expression too large");
            }
            return new Mono(factors, deg, k.toString());
        }

        Mono times(Mono o) {
            if (factors.isEmpty()) {
                return o;
            }
            if (o.factors.isEmpty()) {
                return this;
            }
            TreeMap<Atom, Integer> f = new TreeMap<>(factors);
            o.factors.forEach((a, e) -> f.merge(a, e, Integer::sum));
            return of(f);
        }

        /** This divided by {@code o}, or null when {@code o} has a factor this lacks. */
        Mono over(Mono o) {
            TreeMap<Atom, Integer> f = new TreeMap<>(factors);
            for (Map.Entry<Atom, Integer> e : o.factors.entrySet()) {
                Integer have = f.get(e.getKey());
                if (have == null || have < e.getValue()) {
                    return null;
                }
                if (have.equals(e.getValue())) {
                    f.remove(e.getKey());
                } else {
                    f.put(e.getKey(), have - e.getValue());
                }
            }
            return of(f);
        }

        /** Higher degree first, then by printed form; the constant term last. */
        @Override
        public int compareTo(Mono o) {
            if (degree != o.degree) {
                return Integer.compare(o.degree, degree);
            }
            return key.compareTo(o.key);
        }

        long eval(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
            long v = 1;
            for (Map.Entry<Atom, Integer> e : factors.entrySet()) {
                Atom atom = e.getKey();
                long a = atom instanceof Sym || memo == null ? atom.eval(symbols) : atom.eval(symbols, memo);
                for (int i = 0; i < e.getValue(); i++) {
                    v = Math.multiplyExact(v, a);
                }
            }
            return v;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mono m && m.key.equals(key);
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }
    }

    public static final Expr ZERO = new Expr(new TreeMap<>());
    public static final Expr ONE = constant(1);

    private final TreeMap<Mono, Long> terms;
    private String text;
    private int hash;
    private Set<String> symbolSet;

    /**
     * Bounds on an expression's size: a hostile graph could square a shape value over and over, and
     * an expression past these is unknown (ArithmeticException), never a hang or an exhausted heap.
     */
    static final int MAX_TERMS = 1_000;
    static final int MAX_DEGREE = 64;
    static final int MAX_KEY = 20_000;

    private Expr(TreeMap<Mono, Long> terms) {
        if (terms.size() > MAX_TERMS) {
            throw new ArithmeticException("expression of more than " + MAX_TERMS + " terms");
        }
        this.terms = terms;
    }

    /** The canonical terms, read-only by convention (for ExprSimplifier, in this package). */
    TreeMap<Mono, Long> termMap() {
        return terms;
    }

    /** An expression of canonical terms (no zero coefficient); the map is not copied. */
    static Expr ofTerms(TreeMap<Mono, Long> terms) {
        return new Expr(terms);
    }

    public static Expr constant(long c) {
        TreeMap<Mono, Long> t = new TreeMap<>();
        if (c != 0) {
            t.put(Mono.ONE, c);
        }
        return new Expr(t);
    }

    public static Expr symbol(String name) {
        return atom(new Sym(name));
    }

    static Expr atom(Atom a) {
        TreeMap<Atom, Integer> f = new TreeMap<>();
        f.put(a, 1);
        TreeMap<Mono, Long> t = new TreeMap<>();
        t.put(Mono.of(f), 1L);
        return new Expr(t);
    }

    /**
     * A dimension name as an expression: names that read as an expression of identifiers (such as
     * {@code 2*s0} or {@code seq+1} from exporters that write computed dims) are that expression;
     * any other name (with spaces, a bare number) is one opaque symbol.
     */
    public static Expr ofName(String name) {
        try {
            Expr e = ExprParser.parse(name);
            return e.isConstant() ? symbol(name) : e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return symbol(name);
        }
    }

    /** Parses the formula grammar; throws IllegalArgumentException on anything else. */
    public static Expr parse(String text) {
        return ExprParser.parse(text);
    }

    public boolean isConstant() {
        return terms.isEmpty() || (terms.size() == 1 && terms.firstKey().factors.isEmpty());
    }

    /** The value of a constant expression (0 for ZERO); only meaningful when {@link #isConstant()}. */
    public long constantValue() {
        Long c = terms.get(Mono.ONE);
        return c == null ? 0 : c;
    }

    /** True when this is exactly one symbol. */
    public boolean isSymbol() {
        return terms.size() == 1 && terms.firstEntry().getValue() == 1 && terms.firstKey().factors.size() == 1
                && terms.firstKey().degree == 1 && terms.firstKey().factors.firstKey() instanceof Sym;
    }

    public Expr plus(Expr o) {
        if (o.terms.isEmpty()) {
            return this;
        }
        if (terms.isEmpty()) {
            return o;
        }
        TreeMap<Mono, Long> t = new TreeMap<>(terms);
        for (Map.Entry<Mono, Long> e : o.terms.entrySet()) {
            long c = Math.addExact(t.getOrDefault(e.getKey(), 0L), e.getValue());
            if (c == 0) {
                t.remove(e.getKey());
            } else {
                t.put(e.getKey(), c);
            }
        }
        return new Expr(t);
    }

    public Expr plus(long c) {
        return plus(constant(c));
    }

    public Expr negate() {
        return times(-1);
    }

    public Expr minus(Expr o) {
        return plus(o.negate());
    }

    public Expr times(long c) {
        if (c == 0) {
            return ZERO;
        }
        if (c == 1) {
            return this;
        }
        TreeMap<Mono, Long> t = new TreeMap<>();
        terms.forEach((m, v) -> t.put(m, Math.multiplyExact(v, c)));
        return new Expr(t);
    }

    public Expr times(Expr o) {
        if (o.isConstant()) {
            return times(o.constantValue());
        }
        if (isConstant()) {
            return o.times(constantValue());
        }
        if ((long) terms.size() * o.terms.size() > 20L * MAX_TERMS) {
            throw new ArithmeticException("expression product too large");
        }
        TreeMap<Mono, Long> t = new TreeMap<>();
        for (Map.Entry<Mono, Long> x : terms.entrySet()) {
            for (Map.Entry<Mono, Long> y : o.terms.entrySet()) {
                Mono m = x.getKey().times(y.getKey());
                long c = Math.addExact(t.getOrDefault(m, 0L), Math.multiplyExact(x.getValue(), y.getValue()));
                if (c == 0) {
                    t.remove(m);
                } else {
                    t.put(m, c);
                }
            }
        }
        return new Expr(t);
    }

    public Expr pow(int n) {
        Expr r = ONE;
        for (int i = 0; i < n; i++) {
            r = r.times(this);
        }
        return r;
    }

    /** ⌊a / d⌋ for d > 0, simplified: whole multiples of d leave the floor, nested floors merge. */
    public static Expr floorDiv(Expr a, long d) {
        if (d <= 0) {
            throw new ArithmeticException("floor division by " + d);
        }
        if (d == 1) {
            return a;
        }
        TreeMap<Mono, Long> whole = new TreeMap<>();
        TreeMap<Mono, Long> rest = new TreeMap<>();
        for (Map.Entry<Mono, Long> e : a.terms.entrySet()) {
            long q = Math.floorDiv(e.getValue(), d);
            long r = Math.floorMod(e.getValue(), d);
            if (q != 0) {
                whole.put(e.getKey(), q);
            }
            if (r != 0) {
                rest.put(e.getKey(), r);
            }
        }
        Expr q = new Expr(whole);
        Expr r = new Expr(rest);
        if (r.isConstant()) {
            return q; // 0 <= r < d
        }
        long g = d;
        for (long c : rest.values()) {
            g = gcd(g, c);
        }
        if (g > 1) {
            TreeMap<Mono, Long> t = new TreeMap<>();
            for (Map.Entry<Mono, Long> e : rest.entrySet()) {
                t.put(e.getKey(), e.getValue() / g);
            }
            // floor((g*r')/(g*d')) = floor(r'/d') only when the constant term divides too, which it does here
            r = new Expr(t);
            d /= g;
        }
        // floor((floor(p/b) + s)/d) = floor((p + b*s)/(b*d)) for integer-valued s
        for (Map.Entry<Mono, Long> e : r.terms.entrySet()) {
            Mono m = e.getKey();
            if (e.getValue() == 1 && m.degree == 1 && m.factors.firstKey() instanceof Floor f) {
                Expr s = r.minus(atom(f));
                return q.plus(floorDiv(f.num.plus(s.times(f.den)), Math.multiplyExact(f.den, d)));
            }
        }
        return q.plus(atom(new Floor(r, d)));
    }

    /** ⌈a / d⌉ for d > 0, kept as ⌊(a + d - 1) / d⌋. */
    public static Expr ceilDiv(Expr a, long d) {
        return floorDiv(a.plus(d - 1), d);
    }

    public static Expr min(Expr a, Expr b) {
        return minMax(false, a, b);
    }

    public static Expr max(Expr a, Expr b) {
        return minMax(true, a, b);
    }

    private static Expr minMax(boolean max, Expr a, Expr b) {
        if (absorbs(max, a, b)) {
            return a; // max(a, min(a, c)) = a, min(a, max(a, c)) = a
        }
        if (absorbs(max, b, a)) {
            return b;
        }
        Expr diff = a.minus(b);
        if (diff.isConstant()) {
            long c = diff.constantValue();
            return (c >= 0) == max ? a : b;
        }
        return a.compareTo(b) <= 0 ? atom(new MinMax(max, a, b)) : atom(new MinMax(max, b, a));
    }

    /** True when b is the opposite extreme of a and something: {@code op(a, opposite(a, c)) = a}. */
    private static boolean absorbs(boolean max, Expr a, Expr b) {
        if (b.terms.size() != 1 || b.terms.firstEntry().getValue() != 1 || b.terms.firstKey().degree != 1) {
            return false;
        }
        return b.terms.firstKey().factors.firstKey() instanceof MinMax mm && mm.max != max
                && (mm.a.equals(a) || mm.b.equals(a));
    }

    /** This divided by {@code o} when the division is exact as polynomials (over the atoms), else null. */
    public Expr exactDiv(Expr o) {
        if (o.terms.isEmpty()) {
            return null;
        }
        if (o.isConstant()) {
            long c = o.constantValue();
            TreeMap<Mono, Long> t = new TreeMap<>();
            for (Map.Entry<Mono, Long> e : terms.entrySet()) {
                if (e.getValue() % c != 0) {
                    return null;
                }
                t.put(e.getKey(), e.getValue() / c);
            }
            return new Expr(t);
        }
        Map.Entry<Mono, Long> lead = o.terms.firstEntry();
        Expr rem = this;
        Expr quot = ZERO;
        for (int guard = 0; !rem.terms.isEmpty(); guard++) {
            if (guard > 10_000) {
                return null;
            }
            Map.Entry<Mono, Long> top = rem.terms.firstEntry();
            Mono m = top.getKey().over(lead.getKey());
            if (m == null || top.getValue() % lead.getValue() != 0) {
                return null;
            }
            TreeMap<Mono, Long> t = new TreeMap<>();
            t.put(m, top.getValue() / lead.getValue());
            Expr step = new Expr(t);
            quot = quot.plus(step);
            rem = rem.minus(step.times(o));
        }
        return quot;
    }

    /** The value at a point; throws ArithmeticException on overflow or division of a negative floor. */
    public long eval(ToLongFunction<String> symbols) {
        return eval(symbols, null); // a memo only once a floor or min/max is met (most sizes have none)
    }

    /**
     * Each floor and min/max atom evaluated once: nested sizes (a deep CNN's strided branches) share
     * sub-expressions, and evaluating the tree as written would repeat them exponentially often.
     * {@code memo} may be shared by the evaluations of several expressions at one point; null makes
     * one per top-level floor or min/max.
     */
    public long eval(ToLongFunction<String> symbols, Map<Atom, Long> memo) {
        long v = 0;
        for (Map.Entry<Mono, Long> e : terms.entrySet()) {
            v = Math.addExact(v, Math.multiplyExact(e.getValue(), e.getKey().eval(symbols, memo)));
        }
        return v;
    }

    public long eval(Map<String, Long> point) {
        return eval(point, null);
    }

    /** At a point given by symbol; {@code memo} as in {@link #eval(ToLongFunction, Map)}. */
    public long eval(Map<String, Long> point, Map<Atom, Long> memo) {
        return eval(s -> {
            Long v = point.get(s);
            if (v == null) {
                throw new IllegalArgumentException("no value for symbol " + s);
            }
            return v;
        }, memo);
    }

    /**
     * This expression with symbols replaced ({@code with} returns null to keep a symbol); floors and
     * min/max are simplified afresh, so binding every symbol gives a constant.
     */
    public Expr substitute(Function<String, Expr> with) {
        Expr out = ZERO;
        for (Map.Entry<Mono, Long> e : terms.entrySet()) {
            Expr m = constant(e.getValue());
            for (Map.Entry<Atom, Integer> f : e.getKey().factors.entrySet()) {
                Expr a;
                if (f.getKey() instanceof Sym sym) {
                    Expr r = with.apply(sym.name);
                    a = r == null ? atom(sym) : r;
                } else if (f.getKey() instanceof Floor fl) {
                    a = floorDiv(fl.num.substitute(with), fl.den);
                } else {
                    MinMax mm = (MinMax) f.getKey();
                    a = minMax(mm.max, mm.a.substitute(with), mm.b.substitute(with));
                }
                m = m.times(a.pow(f.getValue()));
            }
            out = out.plus(m);
        }
        return out;
    }

    /** Every symbol this expression reads, in order of first appearance (inside atoms too). */
    public Set<String> symbols() {
        return new LinkedHashSet<>(symbolSet());
    }

    /** Kept once made: nested sizes share sub-expressions, which a walk would visit again and again. */
    private Set<String> symbolSet() {
        Set<String> s = symbolSet;
        if (s == null) {
            Set<String> out = new LinkedHashSet<>();
            for (Mono m : terms.keySet()) {
                for (Atom a : m.factors.keySet()) {
                    if (a instanceof Sym sym) {
                        out.add(sym.name);
                    } else if (a instanceof Floor f) {
                        out.addAll(f.num.symbolSet());
                    } else if (a instanceof MinMax mm) {
                        out.addAll(mm.a.symbolSet());
                        out.addAll(mm.b.symbolSet());
                    }
                }
            }
            s = java.util.Collections.unmodifiableSet(out);
            symbolSet = s;
        }
        return s;
    }

    /** The atoms of this expression's monomials (not inside them), each as an expression. */
    public Set<Expr> atoms() {
        Set<Expr> out = new LinkedHashSet<>();
        for (Mono m : terms.keySet()) {
            for (Atom a : m.factors.keySet()) {
                out.add(atom(a));
            }
        }
        return out;
    }

    /** The highest exponent of {@code atom} (a one-atom expression) in any monomial. */
    public int degreeIn(Expr atom) {
        Atom a = atom.terms.firstKey().factors.firstKey();
        int d = 0;
        for (Mono m : terms.keySet()) {
            d = Math.max(d, m.factors.getOrDefault(a, 0));
        }
        return d;
    }

    /** The terms as (coefficient, monomial) pairs, highest degree first. */
    public List<Map.Entry<Long, Expr>> terms() {
        List<Map.Entry<Long, Expr>> out = new ArrayList<>();
        for (Map.Entry<Mono, Long> e : terms.entrySet()) {
            TreeMap<Mono, Long> one = new TreeMap<>();
            one.put(e.getKey(), 1L);
            out.add(Map.entry(e.getValue(), new Expr(one)));
        }
        return Collections.unmodifiableList(out);
    }

    /** The two operands when this is exactly {@code min(a, b)} ({@code max} when {@code max}), else null. */
    public Expr[] minMaxOperands(boolean max) {
        if (terms.size() == 1 && terms.firstEntry().getValue() == 1 && terms.firstKey().degree == 1
                && terms.firstKey().factors.firstKey() instanceof MinMax mm && mm.max == max) {
            return new Expr[] {mm.a, mm.b};
        }
        return null;
    }

    /** The atom when this is exactly {@code floor(num/den)}, else null. */
    public Floor floorAtom() {
        if (terms.size() == 1 && terms.firstEntry().getValue() == 1 && terms.firstKey().degree == 1
                && terms.firstKey().factors.firstKey() instanceof Floor f) {
            return f;
        }
        return null;
    }

    /**
     * A lower bound of this expression where every symbol is a size (an integer >= 0), or
     * {@link Long#MIN_VALUE} when none follows from the form (a negative coefficient on a
     * non-constant term). Lets shape rules drop clamps and decide comparisons that hold at every
     * point, such as {@code seq >= 0} or {@code batch != -1}.
     */
    public long lowerBound() {
        try {
            long lb = 0;
            for (Map.Entry<Mono, Long> e : terms.entrySet()) {
                Mono m = e.getKey();
                long c = e.getValue();
                if (m.factors.isEmpty()) {
                    lb = Math.addExact(lb, c);
                    continue;
                }
                if (c < 0) {
                    return Long.MIN_VALUE;
                }
                long monoLb = 1;
                for (Map.Entry<Atom, Integer> f : m.factors.entrySet()) {
                    long a = atomLowerBound(f.getKey());
                    if (a < 0) {
                        return Long.MIN_VALUE;
                    }
                    for (int i = 0; i < f.getValue(); i++) {
                        monoLb = Math.multiplyExact(monoLb, a);
                    }
                }
                lb = Math.addExact(lb, Math.multiplyExact(c, monoLb));
            }
            return lb;
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    private static long atomLowerBound(Atom a) {
        if (a instanceof Sym) {
            return 0;
        }
        if (a instanceof Floor f) {
            long n = f.num.lowerBound();
            return n == Long.MIN_VALUE ? n : Math.floorDiv(n, f.den);
        }
        MinMax mm = (MinMax) a;
        long x = mm.a.lowerBound();
        long y = mm.b.lowerBound();
        return mm.max ? Math.max(x, y) : Math.min(x, y);
    }

    /** The total degree of the highest monomial. */
    public int degree() {
        return terms.isEmpty() ? 0 : terms.firstKey().degree;
    }

    String text() {
        if (text == null) {
            text = print(Notation.GRAMMAR);
        }
        return text;
    }

    /**
     * How to print: symbol names, coefficients, and whether for people ({@code 11.0 M·seq²},
     * ⌊(H + 1)/2⌋) rather than in the formula grammar ({@code 11000000*seq^2}, floor((H + 1)/2)).
     */
    public record Notation(Function<String, String> names, java.util.function.LongFunction<String> number,
                           boolean readable) {
        public static final Notation GRAMMAR = new Notation(Function.identity(), Long::toString, false);

        public static Notation grammar(Function<String, String> names) {
            return new Notation(names, Long::toString, false);
        }
    }

    /** In the formula grammar, with symbols renamed (e.g. to identifiers). */
    public String print(Function<String, String> names) {
        return print(Notation.grammar(names));
    }

    public String print(Notation n) {
        if (terms.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Mono, Long> e : terms.entrySet()) {
            long c = e.getValue();
            Mono m = e.getKey();
            if (sb.isEmpty()) {
                if (c < 0) {
                    sb.append('-');
                }
            } else {
                sb.append(c < 0 ? " - " : " + ");
            }
            String abs = c == Long.MIN_VALUE ? "9223372036854775808" : n.number().apply(Math.abs(c));
            if (m.factors.isEmpty()) {
                sb.append(abs);
                continue;
            }
            boolean first = true;
            if (Math.abs(c) != 1) {
                sb.append(abs);
                first = false;
            }
            for (Map.Entry<Atom, Integer> f : m.factors.entrySet()) {
                if (!first) {
                    sb.append(n.readable() ? "·" : "*");
                }
                first = false;
                sb.append(f.getKey().print(n));
                if (f.getValue() > 1) {
                    sb.append(n.readable() ? superscript(f.getValue()) : "^" + f.getValue());
                }
            }
        }
        return sb.toString();
    }

    private static String superscript(int k) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder sb = new StringBuilder();
        for (char ch : Integer.toString(k).toCharArray()) {
            sb.append(digits.charAt(ch - '0'));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** Equal canonical forms: the same monomials (compared by their keys) with the same coefficients. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Expr e) || e.hashCode() != hashCode() || e.terms.size() != terms.size()) {
            return false;
        }
        // both maps are in the same (canonical) order: compared in step, not by a lookup per term
        java.util.Iterator<Map.Entry<Mono, Long>> mine = terms.entrySet().iterator();
        for (Map.Entry<Mono, Long> theirs : e.terms.entrySet()) {
            Map.Entry<Mono, Long> m = mine.next();
            if (m.getValue().longValue() != theirs.getValue().longValue()
                    || (m.getKey() != theirs.getKey() && !m.getKey().key.equals(theirs.getKey().key))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = terms.hashCode();
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public int compareTo(Expr o) {
        return text().compareTo(o.text());
    }

    /** A numerator in parentheses unless it is a single product. */
    static String group(String text, Expr e) {
        return e.terms.size() == 1 && e.terms.firstEntry().getValue() > 0 ? text : "(" + text + ")";
    }

    static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
