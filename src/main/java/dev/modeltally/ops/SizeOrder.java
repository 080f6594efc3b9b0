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
}
