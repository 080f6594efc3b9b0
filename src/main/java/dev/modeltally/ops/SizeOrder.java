package dev.modeltally.ops;

import dev.modeltally.ir.Expr;

/**
 * Decides {@code a >= b} for two symbolic sizes wherever the symbols are sizes (integers >= 0),
 * beyond what the lower bound of {@code a - b} shows: floors are monotone ({@code floor(x/d) >=
 * floor(y/d)} when {@code x >= y}), and a max is at least each operand. A strided conv ({@code
 * floor((H + 1)/2)}) beside a stride-2 pool ({@code floor(H/2)}) of the same feature map is the
 * case that matters: a residual Add of the two broadcasts to the larger, and naming it (instead of
 * writing {@code max(...)} of both) keeps the sizes of a deep network from doubling in length at
 * every such block. False means "not shown", never "smaller".
 */
final class SizeOrder {

    /** Deep enough for nested floors and maxes of real networks, bounded so that no input can recurse far. */
    private static final int DEPTH = 12;

    private SizeOrder() {
    }

    static boolean atLeast(Expr a, Expr b) {
        return atLeast(a, b, DEPTH);
    }

    private static boolean atLeast(Expr a, Expr b, int depth) {
        if (a.equals(b) || a.minus(b).lowerBound() >= 0) {
            return true;
        }
        if (depth == 0) {
            return false;
        }
        Expr m = indicator(a);
        if (m != null) { // m·A >= m·B where A >= B (m is 0 or 1)
            Expr qa = a.exactDiv(m);
            Expr qb = b.exactDiv(m);
            if (qa != null && qb != null && atLeast(qa, qb, depth - 1)) {
                return true;
            }
        }
        Expr.Floor fa = a.floorAtom();
        Expr.Floor fb = b.floorAtom();
        if (fa != null && fb != null && fa.den() == fb.den() && atLeast(fa.num(), fb.num(), depth - 1)) {
            return true;
        }
        Expr[] bMax = b.minMaxOperands(true);
        if (bMax != null && atLeast(a, bMax[0], depth - 1) && atLeast(a, bMax[1], depth - 1)) {
            return true;
        }
        Expr[] aMax = a.minMaxOperands(true);
        if (aMax != null && (atLeast(aMax[0], b, depth - 1) || atLeast(aMax[1], b, depth - 1))) {
            return true;
        }
        Expr[] aMin = a.minMaxOperands(false);
        if (aMin != null && atLeast(aMin[0], b, depth - 1) && atLeast(aMin[1], b, depth - 1)) {
            return true;
        }
        Expr[] bMin = b.minMaxOperands(false);
        return bMin != null && (atLeast(a, bMin[0], depth - 1) || atLeast(a, bMin[1], depth - 1));
    }

    /**
     * An atom {@code min(1, r)} (r a size, so the atom is 0 or 1) that divides every term of
     * {@code e} once, or null. A broadcast of two sizes that may be empty ({@code larger·min(1,
     * smaller)}) leaves such a factor; conv and pool sizes and further broadcasts take it out in
     * front ({@code f(m·x) = m·f(x)} where {@code f(0) = 0}) so that it never nests inside floors.
     */
    static Expr indicator(Expr e) {
        if (e.isConstant()) {
            return null;
        }
        for (Expr atom : e.atoms()) {
            Expr[] mm = atom.minMaxOperands(false);
            if (mm == null || e.degreeIn(atom) != 1 || !(isOne(mm[0]) || isOne(mm[1]))
                    || (isOne(mm[0]) ? mm[1] : mm[0]).lowerBound() < 0) {
                continue;
            }
            Expr q = e.exactDiv(atom);
            if (q != null && q.degreeIn(atom) == 0) {
                return atom;
            }
        }
        return null;
    }

    private static boolean isOne(Expr e) {
        return e.isConstant() && e.constantValue() == 1;
    }
}
