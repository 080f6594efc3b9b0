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

/**
 * Rewrites an expression into a simpler one of the same value at every point where each symbol is
 * an integer {@code >= 0} (sizes; an empty KV-cache past is 0 and stays exact). Exact Slice clamps
 * and broadcasts pile up min/max atoms that are decided wherever the model runs, such as
 * {@code max(max(-min(1, min(1, s) + s) + min(min(1, s) + s, s + 1), 0), s)}, which is {@code s}.
 * Every step is a proof ({@link ExprSimplifierBounds}), never a sample:
 * <ol>
 * <li>bottom-up, {@code min(a, b)} becomes a when {@code b - a >= 0} is proved, b when
 * {@code a - b >= 0} is (likewise max), and a floor whose numerator's bounds lie within one
 * multiple of its divisor becomes that quotient; repeated to a fixed point;</li>
 * <li>a case split on a symbol s inside a remaining min/max: {@code E0} = E at s = 0 and
 * {@code E1} = E at s = t + 1 (t a fresh symbol >= 0) are simplified (splitting again, at most
 * {@value #MAX_SPLIT_DEPTH} deep), E1 is mapped back with t = s - 1, and the result is E1 when E1 at
 * s = 0 is E0 (equal forms, or their difference proved 0), else
 * {@code E1 + (E0 - E1[s=0])·(1 - min(1, s))} (1 - min(1, s) is 1 at s = 0 and 0 above): equal to E
 * at s = 0 and at every s >= 1, so everywhere; tried on at most {@value #MAX_SPLIT_SYMBOLS} symbols,
 * and only where E1 has fewer min/max than E;</li>
 * <li>for a top-level max (the peak: the largest of several steps), each candidate is simplified
 * and a candidate is dropped when, on every face of the domain, another one is proved to be at
 * least it ({@link ExprSimplifierPeak}).</li>
 * </ol>
 * A rewrite is kept only when it is simpler (fewer min/max atoms, else a shorter printed form).
 * The work is bounded: {@value #MAX_STEPS} units (a unit is a term of an expression handled), at
 * most {@value #MAX_CANDIDATES} candidates, atoms nested at most {@value #MAX_NESTING} deep; past a
 * bound, or on overflow, the input is returned unchanged (a peak candidate past its share of the
 * work stays as it is).
 */
public final class ExprSimplifier {

    static final int MAX_SPLIT_DEPTH = 2;
    static final int MAX_SPLIT_SYMBOLS = 3;
    static final int MAX_STEPS = 8_000;
    static final int MAX_CANDIDATES = 128;
    static final int MAX_DOMINANCE_STEPS = 1_000;
    static final int MAX_CANDIDATE_STEPS = 2_000;
    static final int MAX_NESTING = 100;
    private static final int MAX_ROUNDS = 4;

    /**
     * Counts work, in terms of the expressions handled (so that the bound is one of time whatever
     * the sizes); past the bound the simplification gives up.
     */
    static final class Budget {
        private int steps;
        private int limit = MAX_STEPS;

        void step() {
            charge(1);
        }

        void charge(int terms) {
            steps += terms;
            if (steps > limit) {
                throw new OutOfBudget();
            }
        }

        int steps() {
            return steps;
        }

        int left() {
            return limit - steps;
        }

        /**
         * The work with at most n steps of its own, or {@code fallback} when they run out or fewer
         * than n are left in the whole budget (which then still holds for the rest).
         */
        <T> T within(int n, java.util.function.Supplier<T> work, T fallback) {
            if (limit - steps < n) {
                return fallback;
            }
            int saved = limit;
            limit = steps + n;
            try {
                return work.get();
            } catch (OutOfBudget e) {
                return fallback;
            } finally {
                limit = saved;
            }
        }
    }

    private static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super("simplification budget spent", null, false, false);
        }
    }

    private final Budget budget = new Budget();
    private final ExprSimplifierBounds bounds = new ExprSimplifierBounds(budget);
    private final Map<String, Expr> atoms = new HashMap<>();

    private ExprSimplifier() {
    }

    /** A simpler expression equal to e wherever every symbol is an integer >= 0; e itself when none is found. */
    public static Expr simplify(Expr e) {
        if (e == null || !hasMinMax(e)) {
            return e;
        }
        try {
            ExprSimplifier s = new ExprSimplifier();
            Expr r = maxOperands(e).size() > 1 ? s.largest(e) : nesting(e) > MAX_NESTING ? null : s.simplify(e, 0);
            return r != null && simpler(r, e) ? r : e;
        } catch (OutOfBudget | ArithmeticException | StackOverflowError x) {
            return e; // a bound was hit (or an intermediate overflowed): the formula stays as it was
        }
    }

    /** A top-level max: each candidate simplified, then those another one is at least are dropped. */
    private Expr largest(Expr e) {
        List<Expr> ops = maxOperands(e);
        if (ops.size() > MAX_CANDIDATES) {
            return null;
        }
        List<Expr> simple = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Expr o = ops.get(i);
            // a share of what is left for each candidate (half kept for dropping), at least MAX_CANDIDATE_STEPS
            int share = Math.max(MAX_CANDIDATE_STEPS, budget.left() / 2 / (ops.size() - i));
            Expr s = nesting(o) > MAX_NESTING ? o : budget.within(share, () -> simplify(o, 0), o);
            simple.add(simpler(s, o) ? s : o);
        }
        boolean[] dropped = budget.within(budget.left(), () -> new ExprSimplifierPeak(bounds, budget).dropped(simple,
                proof -> budget.within(MAX_DOMINANCE_STEPS, proof::getAsBoolean, false)), new boolean[simple.size()]);
        List<Expr> kept = new ArrayList<>();
        for (int i = 0; i < simple.size(); i++) {
            if (!dropped[i]) {
                kept.add(simple.get(i));
            }
        }
        kept.sort(null);
        Expr m = kept.get(0);
        for (int i = 1; i < kept.size(); i++) {
            m = Expr.max(m, kept.get(i));
        }
        return m;
    }

    private Expr simplify(Expr e, int depth) {
        Expr best = decided(e);
        if (depth >= MAX_SPLIT_DEPTH || !hasMinMax(best)) {
            return best;
        }
        for (String s : splitSymbols(best)) {
            Expr c = split(best, s, depth);
            if (simpler(c, best)) {
                best = c;
            }
            if (!hasMinMax(best)) {
                break;
            }
        }
        return best;
    }

    /** E split at s = 0 and s >= 1 (see the class comment): equal to e at every point. */
    private Expr split(Expr e, String s, int depth) {
        String t = fresh(e, depth);
        Expr sym = Expr.symbol(s);
        budget.charge(4 * e.termMap().size());
        Expr e1 = decided(e.substitute(x -> x.equals(s) ? Expr.symbol(t).plus(1) : null));
        if (ExprSimplifier.minMaxCount(e1) >= ExprSimplifier.minMaxCount(e)) {
            return e; // nothing decides at s >= 1 that does not at s >= 0: no split worth its cost
        }
        e1 = simplify(e1, depth + 1);
        Expr e0 = simplify(e.substitute(x -> x.equals(s) ? Expr.ZERO : null), depth + 1);
        Expr back = e1.substitute(x -> x.equals(t) ? sym.minus(Expr.ONE) : null);
        Expr at0 = decided(back.substitute(x -> x.equals(s) ? Expr.ZERO : null));
        Expr gap = e0.minus(at0);
        if (gap.isConstant() && gap.constantValue() == 0
                || bounds.nonNegative(gap) && bounds.nonNegative(gap.negate())) {
            return decided(back);
        }
        return decided(back.plus(gap.times(Expr.ONE.minus(Expr.min(Expr.ONE, sym)))));
    }

    /** Step 1 to a fixed point: the min/max atoms that the bounds decide, bottom-up. */
    private Expr decided(Expr e) {
        for (int i = 0; i < MAX_ROUNDS; i++) {
            budget.charge(e.termMap().size());
            Expr r = ExprSimplifierBounds.mapAtoms(e, this::atom);
            if (r.equals(e)) {
                return r;
            }
            e = r;
        }
        return e;
    }

    /** The atom rewritten, or null when it stays as it is. */
    private Expr atom(Atom a) {
        if (a instanceof Sym) {
            return null;
        }
        String key = a.key();
        if (atoms.containsKey(key)) {
            return atoms.get(key);
        }
        budget.step();
        Expr r;
        if (a instanceof Floor f) {
            Expr num = decided(f.num());
            ExprSimplifierBounds.Interval i = bounds.of(num);
            long lo = i.lo() == ExprSimplifierBounds.NEG ? 0 : Math.floorDiv(i.lo(), f.den());
            boolean one = i.lo() != ExprSimplifierBounds.NEG && i.hi() != ExprSimplifierBounds.POS
                    && lo == Math.floorDiv(i.hi(), f.den());
            r = one ? Expr.constant(lo) : Expr.floorDiv(num, f.den());
        } else {
            MinMax mm = (MinMax) a;
            Expr x = decided(mm.a());
            Expr y = decided(mm.b());
            if (bounds.nonNegative(y.minus(x))) {
                r = mm.max() ? y : x; // x <= y
            } else if (bounds.nonNegative(x.minus(y))) {
                r = mm.max() ? x : y;
            } else {
                r = mm.max() ? Expr.max(x, y) : Expr.min(x, y);
            }
        }
        if (r.equals(Expr.atom(a))) {
            r = null;
        }
        atoms.put(key, r);
        return r;
    }

    /** The symbols read inside e's min/max atoms, at most MAX_SPLIT_SYMBOLS. */
    private static List<String> splitSymbols(Expr e) {
        Set<String> out = new LinkedHashSet<>();
        for (MinMax mm : ExprSimplifierBounds.minMaxAtoms(e)) {
            out.addAll(mm.a().symbols());
            out.addAll(mm.b().symbols());
        }
        List<String> l = new ArrayList<>(out);
        return l.size() > MAX_SPLIT_SYMBOLS ? l.subList(0, MAX_SPLIT_SYMBOLS) : l;
    }

    /** A symbol name e does not read (names from files never hold control characters, and if one does, another is picked). */
    private static String fresh(Expr e, int depth) {
        Set<String> used = e.symbols();
        String t = "\u0001t" + depth;
        while (used.contains(t)) {
            t += "'";
        }
        return t;
    }

    /** The operands of nested top-level maxes (e alone when it is not a max). */
    static List<Expr> maxOperands(Expr e) {
        List<Expr> out = new ArrayList<>();
        List<Expr> todo = new ArrayList<>(List.of(e));
        while (!todo.isEmpty()) {
            Expr x = todo.remove(todo.size() - 1);
            Expr[] ab = x.minMaxOperands(true);
            if (ab == null) {
                out.add(x);
            } else {
                todo.add(ab[1]);
                todo.add(ab[0]);
            }
        }
        return out;
    }

    /** Fewer min/max atoms, else a shorter printed form. */
    static boolean simpler(Expr a, Expr b) {
        int x = minMaxCount(a);
        int y = minMaxCount(b);
        return x != y ? x < y : a.text().length() < b.text().length();
    }

    /** The min/max atoms written in e, nested ones included. */
    static int minMaxCount(Expr e) {
        int n = 0;
        for (Mono m : e.termMap().keySet()) {
            for (Atom a : m.factors().keySet()) {
                if (a instanceof MinMax mm) {
                    n += 1 + minMaxCount(mm.a()) + minMaxCount(mm.b());
                } else if (a instanceof Floor f) {
                    n += minMaxCount(f.num());
                }
            }
        }
        return n;
    }

    /** How deeply atoms nest in e (0 for a polynomial of symbols). */
    static int nesting(Expr e) {
        int n = 0;
        for (Mono m : e.termMap().keySet()) {
            for (Atom a : m.factors().keySet()) {
                if (a instanceof MinMax mm) {
                    n = Math.max(n, 1 + Math.max(nesting(mm.a()), nesting(mm.b())));
                } else if (a instanceof Floor f) {
                    n = Math.max(n, 1 + nesting(f.num()));
                }
            }
        }
        return n;
    }

    static boolean hasMinMax(Expr e) {
        for (Mono m : e.termMap().keySet()) {
            for (Atom a : m.factors().keySet()) {
                if (a instanceof MinMax || a instanceof Floor f && hasMinMax(f.num())) {
                    return true;
                }
            }
        }
        return false;
    }
}
