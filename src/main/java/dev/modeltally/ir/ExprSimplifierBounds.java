package dev.modeltally.ir;

import dev.modeltally.ir.Expr.Atom;
import dev.modeltally.ir.Expr.Floor;
import dev.modeltally.ir.Expr.MinMax;
import dev.modeltally.ir.Expr.Mono;
import dev.modeltally.ir.Expr.Sym;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Proofs that an expression is {@code >= 0} at every point where each symbol is an integer
 * {@code >= 0}, for {@link ExprSimplifier}. Three structural steps, never sampling: interval
 * arithmetic over the canonical polynomial (each symbol in [0, ∞), atoms bounded from their
 * operands); covering a negative term {@code -c·M} by a positive term {@code c'·M·N} whose extra
 * factors N are symbols of M (for integers ≥ 0, {@code M·N ≥ M}: a zero symbol of N zeroes M,
 * else N ≥ 1); and eliminating a min/max atom: the expression is ≥ 0 if it is with the atom
 * replaced by each operand (at every point the atom is one of them), or by either operand when
 * the expression only falls as the atom grows (a min) or only rises (a max).
 */
final class ExprSimplifierBounds {

    static final long NEG = Long.MIN_VALUE;
    static final long POS = Long.MAX_VALUE;

    /** Deepest nest of atom eliminations in one proof, and atoms tried at each level. */
    private static final int MAX_ELIMINATIONS = 5;
    private static final int MAX_ATOMS_TRIED = 4;

    /** [lo, hi] with NEG and POS standing for -∞ and +∞; lo is never +∞, hi never -∞. */
    record Interval(long lo, long hi) {
        static final Interval ALL = new Interval(NEG, POS);
        static final Interval SIZE = new Interval(0, POS);

        static Interval point(long c) {
            return c == NEG || c == POS ? ALL : new Interval(c, c);
        }

        Interval plus(Interval o) {
            return of(lo == NEG || o.lo == NEG ? NEG : add(lo, o.lo), hi == POS || o.hi == POS ? POS : add(hi, o.hi));
        }

        Interval times(Interval o) {
            try {
                long a = mul(lo, o.lo);
                long b = mul(lo, o.hi);
                long c = mul(hi, o.lo);
                long d = mul(hi, o.hi);
                return of(Math.min(Math.min(a, b), Math.min(c, d)), Math.max(Math.max(a, b), Math.max(c, d)));
            } catch (ArithmeticException e) {
                return ALL;
            }
        }

        Interval pow(int k) {
            if (k == 1) {
                return this;
            }
            Interval up = new Interval(1, 1);
            for (int i = 0; i < k; i++) {
                up = up.times(this);
            }
            if (k % 2 == 0 && up.lo < 0) {
                return of(0, up.hi); // an even power of a range spanning 0 is >= 0
            }
            return up;
        }

        Interval floorDiv(long d) {
            return of(lo == NEG ? NEG : Math.floorDiv(lo, d), hi == POS ? POS : Math.floorDiv(hi, d));
        }

        Interval minMax(boolean max, Interval o) {
            return max ? of(Math.max(lo, o.lo), Math.max(hi, o.hi)) : of(Math.min(lo, o.lo), Math.min(hi, o.hi));
        }

        /** A sum overflowing a long widens to ∞, which stays a true bound. */
        private static long add(long x, long y) {
            try {
                return Math.addExact(x, y);
            } catch (ArithmeticException e) {
                return x > 0 ? POS : NEG;
            }
        }

        /** The extended product, 0·∞ = 0 (∞ stands for "unbounded", every value being finite). */
        private static long mul(long x, long y) {
            if (x == 0 || y == 0) {
                return 0;
            }
            if (x == NEG || x == POS || y == NEG || y == POS) {
                return (x > 0) == (y > 0) ? POS : NEG;
            }
            return Math.multiplyExact(x, y);
        }

        /** Widens a finite bound that landed on a sentinel to the right infinity. */
        private static Interval of(long lo, long hi) {
            return new Interval(lo == POS ? NEG : lo, hi == NEG ? POS : hi);
        }
    }

    private final Map<String, Interval> atoms = new HashMap<>();
    private final ExprSimplifier.Budget budget;

    ExprSimplifierBounds(ExprSimplifier.Budget budget) {
        this.budget = budget;
    }

    /** Bounds on the value of e over the domain. */
    Interval of(Expr e) {
        Interval sum = Interval.point(0);
        for (Map.Entry<Mono, Long> t : e.termMap().entrySet()) {
            sum = sum.plus(Interval.point(t.getValue()).times(of(t.getKey())));
            if (sum.lo == NEG && sum.hi == POS) {
                return Interval.ALL;
            }
        }
        return sum;
    }

    private Interval of(Mono m) {
        Interval p = Interval.point(1);
        for (Map.Entry<Atom, Integer> f : m.factors().entrySet()) {
            p = p.times(of(f.getKey()).pow(f.getValue()));
        }
        return p;
    }

    private Interval of(Atom a) {
        if (a instanceof Sym) {
            return Interval.SIZE;
        }
        Interval known = atoms.get(a.key());
        if (known != null) {
            return known;
        }
        budget.step();
        Interval r;
        if (a instanceof Floor f) {
            r = of(f.num()).floorDiv(f.den());
        } else {
            MinMax mm = (MinMax) a;
            r = of(mm.a()).minMax(mm.max(), of(mm.b()));
        }
        atoms.put(a.key(), r);
        return r;
    }

    /** True when e >= 0 at every point of the domain is proved; false when not proved. */
    boolean nonNegative(Expr e) {
        return nonNegative(e, 0);
    }

    private boolean nonNegative(Expr e, int depth) {
        budget.charge(e.termMap().size());
        if (e.isConstant()) {
            return e.constantValue() >= 0;
        }
        Interval i = of(e);
        if (i.lo >= 0) {
            return true;
        }
        if (i.hi < 0) {
            return false;
        }
        Expr rest = covered(e);
        if (rest != e && of(rest).lo >= 0) {
            return true;
        }
        if (depth >= MAX_ELIMINATIONS) {
            return false;
        }
        int tried = 0;
        for (MinMax a : minMaxAtoms(e)) {
            if (tried++ >= MAX_ATOMS_TRIED) {
                break;
            }
            Expr withA = replace(e, a, a.a());
            Expr withB = replace(e, a, a.b());
            boolean ok = monotone(e, a)
                    ? nonNegative(withA, depth + 1) || nonNegative(withB, depth + 1)
                    : nonNegative(withA, depth + 1) && nonNegative(withB, depth + 1);
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when e only falls as the min atom grows, or only rises as the max atom grows: the atom in
     * degree 1 in every term, each term's other factors >= 0, and every coefficient negative (min) or
     * positive (max). Then e is at least e with the atom replaced by either operand.
     */
    private boolean monotone(Expr e, MinMax a) {
        for (Map.Entry<Mono, Long> t : e.termMap().entrySet()) {
            Integer k = t.getKey().factors().get(a);
            if (k == null) {
                continue;
            }
            if (k != 1 || (a.max() ? t.getValue() < 0 : t.getValue() > 0)) {
                return false;
            }
            TreeMap<Atom, Integer> others = new TreeMap<>(t.getKey().factors());
            others.remove(a);
            if (of(Mono.of(others)).lo < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * e less the terms a greedy cover proves it has to spare: each negative term {@code -c·M} (M >= 0)
     * is paired with positive terms {@code c'·M·N}, N a product of symbols of M, and the pair is
     * replaced by {@code (c' - c)·M·N}; what is left is at most e everywhere.
     */
    Expr covered(Expr e) {
        TreeMap<Mono, Long> t = null;
        for (Map.Entry<Mono, Long> neg : e.termMap().entrySet()) {
            Mono m = neg.getKey();
            if (neg.getValue() > 0 || m.factors().isEmpty() || of(m).lo < 0) {
                continue;
            }
            for (Map.Entry<Mono, Long> pos : e.termMap().entrySet()) {
                Mono p = pos.getKey();
                Mono n = p.degree() > m.degree() ? p.over(m) : null;
                if (n == null || !symbolsOf(n, m)) {
                    continue;
                }
                if (t == null) {
                    t = new TreeMap<>(e.termMap());
                }
                long need = t.getOrDefault(m, 0L);
                long have = t.getOrDefault(p, 0L);
                if (need >= 0 || have <= 0) {
                    continue;
                }
                long take = Math.min(-need, have);
                put(t, m, need + take);
                put(t, p, have - take);
            }
        }
        return t == null ? e : Expr.ofTerms(t);
    }

    private static void put(TreeMap<Mono, Long> t, Mono m, long c) {
        if (c == 0) {
            t.remove(m);
        } else {
            t.put(m, c);
        }
    }

    /** True when every factor of n is a symbol that is also a factor of m. */
    private static boolean symbolsOf(Mono n, Mono m) {
        for (Atom a : n.factors().keySet()) {
            if (!(a instanceof Sym) || !m.factors().containsKey(a)) {
                return false;
            }
        }
        return true;
    }

    /** The distinct min/max atoms of e's terms (not those inside other atoms). */
    static List<MinMax> minMaxAtoms(Expr e) {
        Set<MinMax> out = new LinkedHashSet<>();
        for (Mono m : e.termMap().keySet()) {
            for (Atom a : m.factors().keySet()) {
                if (a instanceof MinMax mm) {
                    out.add(mm);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** e with its terms' occurrences of atom a (not those inside other atoms) replaced by w. */
    static Expr replace(Expr e, Atom a, Expr w) {
        return mapAtoms(e, x -> x.equals(a) ? w : null);
    }

    /**
     * e with each atom of its terms replaced by {@code with(atom)} (null keeps it); terms with no
     * replaced atom are kept as they are.
     */
    static Expr mapAtoms(Expr e, Function<Atom, Expr> with) {
        TreeMap<Mono, Long> kept = new TreeMap<>();
        Expr changed = Expr.ZERO;
        for (Map.Entry<Mono, Long> t : e.termMap().entrySet()) {
            Map<Atom, Integer> factors = t.getKey().factors();
            Expr[] by = new Expr[factors.size()];
            boolean any = false;
            int i = 0;
            for (Atom a : factors.keySet()) {
                by[i] = with.apply(a);
                any |= by[i++] != null;
            }
            if (!any) {
                kept.put(t.getKey(), t.getValue());
                continue;
            }
            Expr term = Expr.constant(t.getValue());
            i = 0;
            for (Map.Entry<Atom, Integer> f : factors.entrySet()) {
                Expr r = by[i++];
                term = term.times((r == null ? Expr.atom(f.getKey()) : r).pow(f.getValue()));
            }
            changed = changed.plus(term);
        }
        return Expr.ofTerms(kept).plus(changed);
    }
}
