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
        if (!(in instanceof Dim.Fixed f) || kernel < 0 || stride <= 0 || dilation <= 0) {
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
        if (room < 0) {
            return Dim.of(0);
        }
        long out = (ceil ? ceilDiv(room, stride) : room / stride) + 1;
        if (ceil && (out - 1) * stride >= n + padBegin) {
            out--;
        }
        return Dim.of(out);
    }

    /** One spatial output size of a transposed convolution. */
    public static Dim transposedOutSize(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                                        long outputPadding, String autoPad) {
        if (!(in instanceof Dim.Fixed f) || kernel < 0 || stride <= 0 || dilation <= 0) {
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
