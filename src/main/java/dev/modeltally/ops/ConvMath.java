package dev.modeltally.ops;

import dev.modeltally.ir.Dim;

/**
 * Output-size equations of convolution and pooling windows, layout-agnostic so that channels-last
 * rules (Keras) use the same arithmetic.
 */
public final class ConvMath {

    private ConvMath() {
    }

    /**
     * One spatial output size of a convolution or pooling window.
     *
     * @param autoPad NOTSET (explicit pads), VALID, SAME_UPPER, SAME_LOWER (Keras "same" = SAME_UPPER)
     * @param ceil    ceil_mode of pooling; the last window must start inside the input or left padding
     */
    public static Dim outSize(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                              String autoPad, boolean ceil) {
        if (kernel < 0 || stride <= 0 || dilation <= 0) {
            return Dim.UNKNOWN;
        }
        if (in instanceof Dim.Symbolic) {
            return symbolicOutSize(in, kernel, stride, dilation, padBegin, padEnd, autoPad, ceil);
        }
        if (!(in instanceof Dim.Fixed f)) {
            return Dim.UNKNOWN;
        }
        long n = f.value();
        long span = dilation * (kernel - 1) + 1;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> {
                return Dim.of(ceilDiv(n, stride));
            }
            case "VALID" -> {
                padBegin = 0;
                padEnd = 0;
            }
            default -> {
            }
        }
        long room = n + padBegin + padEnd - span;
        // with ceil_mode a window may start inside the input and hang over its end (ONNX's
        // ceil((n + pads - span)/s + 1), onnxruntime and torch agree: a k3 s2 pool of 2 gives 1)
        if (room < 0 && (!ceil || room <= -stride)) {
            return Dim.of(0);
        }
        long out = (ceil ? ceilDiv(room, stride) : room / stride) + 1;
        if (ceil && (out - 1) * stride >= n + padBegin) {
            out--;
        }
        return Dim.of(out);
    }

    /**
     * The same equation over a symbolic size, where the model runs (the window fits: room >= 0):
     * ⌊room/s⌋ + 1, or with ceil_mode ⌈room/s⌉ + 1 less the last window when it would start in the
     * right padding, which is min(⌈room/s⌉ + 1, ⌈(n + padBegin)/s⌉); that correction can only apply
     * when the right padding is shorter than the window (else Unknown).
     */
    private static Dim symbolicOutSize(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                                       String autoPad, boolean ceil) {
        // an input that is empty where a factor min(1, r) is 0 (a broadcast of sizes that may be empty):
        // out(m·x) = m·out(x) where an empty input gives an empty output, so the factor stays in front
        try {
            dev.modeltally.ir.Expr m = SizeOrder.indicator(in.expr());
            if (m != null && outSize(Dim.of(0), kernel, stride, dilation, padBegin, padEnd, autoPad, ceil)
                    .equals(Dim.of(0))) {
                Dim rest = outSize(Dim.of(in.expr().exactDiv(m)), kernel, stride, dilation, padBegin, padEnd,
                        autoPad, ceil);
                if (rest instanceof Dim.Fixed f) {
                    return Dim.of(m.times(f.value()));
                }
                return rest instanceof Dim.Symbolic s ? Dim.of(s.expr().times(m)) : Dim.UNKNOWN;
            }
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN; // an expression past the size limits is unknown
        }
        long span = dilation * (kernel - 1) + 1;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> {
                return DimMath.ceilDiv(in, stride);
            }
            case "VALID" -> {
                padBegin = 0;
                padEnd = 0;
            }
            default -> {
            }
        }
        Dim room = DimMath.affine(in, 1, padBegin + padEnd - span);
        if (!ceil) {
            return DimMath.affine(DimMath.floorDiv(room, stride), 1, 1);
        }
        Dim out = DimMath.affine(DimMath.ceilDiv(room, stride), 1, 1);
        if (span - padEnd >= stride) {
            return out; // the last window always starts inside the input or the left padding
        }
        if (padEnd > span) {
            return Dim.UNKNOWN;
        }
        return DimMath.min(out, DimMath.ceilDiv(DimMath.affine(in, 1, padBegin), stride));
    }

    /** One spatial output size of a transposed convolution. */
    public static Dim transposedOutSize(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                                        long outputPadding, String autoPad) {
        if (kernel < 0 || stride <= 0 || dilation <= 0) {
            return Dim.UNKNOWN;
        }
        if (in instanceof Dim.Symbolic) {
            if (autoPad.startsWith("SAME")) {
                return DimMath.affine(in, stride, 0);
            }
            long pads = autoPad.equals("VALID") ? 0 : padBegin + padEnd;
            return DimMath.affine(in, stride, -stride + outputPadding + (kernel - 1) * dilation + 1 - pads);
        }
        if (!(in instanceof Dim.Fixed f)) {
            return Dim.UNKNOWN;
        }
        if (autoPad.startsWith("SAME")) {
            return Dim.of(f.value() * stride);
        }
        if (autoPad.equals("VALID")) {
            padBegin = 0;
            padEnd = 0;
        }
        long out = stride * (f.value() - 1) + outputPadding + (kernel - 1) * dilation + 1 - padBegin - padEnd;
        return out < 0 ? Dim.UNKNOWN : Dim.of(out);
    }

    static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
