package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Output sizes of Keras layers that slide over spatial axes (convolutions, pooling, padding,
 * cropping, upsampling), as Keras's conv_utils computes them, channels_last or channels_first.
 */
final class KerasSpatialShapes {

    private KerasSpatialShapes() {
    }

    static boolean channelsFirst(Attributes a) {
        return "channels_first".equals(a.getString("data_format", "channels_last"));
    }

    /** Convolution spatial sizes (Keras conv_utils); {@code filters == -2} keeps channels × depth_multiplier. */
    static Shape conv(Shape x, Attributes a, int n, long filters, boolean transpose) {
        if (!x.rankKnown() || x.rank() != n + 2) {
            return Shape.unknownRank();
        }
        long[] k = KerasDims.tuple(a, "kernel_size", n, -1);
        long[] s = KerasDims.tuple(a, "strides", n, 1);
        long[] dil = KerasDims.tuple(a, "dilation_rate", n, 1);
        long[] outPad = a.get("output_padding").isPresent() ? KerasDims.tuple(a, "output_padding", n, -1) : null;
        String padding = a.getString("padding", "valid");
        boolean cf = channelsFirst(a);
        List<Dim> d = new ArrayList<>(x.dims());
        int c = cf ? 1 : n + 1;
        for (int i = 0; i < n; i++) {
            int axis = cf ? i + 2 : i + 1;
            long len = x.dim(axis).valueOr(-1);
            long kd = k[i] < 0 ? -1 : (k[i] - 1) * dil[i] + 1;
            if (x.dim(axis) instanceof Dim.Symbolic && kd >= 0) {
                d.set(axis, transpose ? symbolicDeconv(x.dim(axis), kd, s[i], padding, outPad == null ? -1 : outPad[i])
                        : symbolicConvLength(x.dim(axis), kd, s[i], padding));
                continue;
            }
            long out = len < 0 || kd < 0 ? -1 : transpose ? deconv(len, kd, s[i], padding, outPad == null ? -1
                    : outPad[i]) : convLength(len, kd, s[i], padding);
            d.set(axis, out < 0 ? Dim.UNKNOWN : Dim.of(out));
        }
        long channels = filters;
        if (filters == -2) {
            long in = x.dim(c).valueOr(-1);
            channels = in < 0 ? -1 : in * a.getLong("depth_multiplier", 1);
        }
        d.set(c, channels < 0 ? Dim.UNKNOWN : Dim.of(channels));
        return new Shape(d);
    }

    static long convLength(long len, long kd, long stride, String padding) {
        long out = switch (padding) {
            case "same", "causal" -> len + stride - 1;
            case "full" -> len + kd - 1 + stride - 1;
            default -> len - kd + stride;
        };
        return out < 0 ? 0 : out / stride;
    }

    /**
     * {@link #convLength} over a symbolic size, where the model runs (a "valid" window fits, so the
     * clamp at 0 never applies): ⌊(len + stride - 1)/stride⌋ for same/causal, and so on.
     */
    static Dim symbolicConvLength(Dim len, long kd, long stride, String padding) {
        if (stride <= 0) {
            return Dim.UNKNOWN;
        }
        long add = switch (padding) {
            case "same", "causal" -> stride - 1;
            case "full" -> kd - 1 + stride - 1;
            default -> stride - kd;
        };
        return DimMath.floorDiv(DimMath.affine(len, 1, add), stride);
    }

    /** {@link #deconv} over a symbolic size: affine in it. */
    private static Dim symbolicDeconv(Dim len, long kd, long stride, String padding, long outPad) {
        if (outPad < 0) {
            return switch (padding) {
                case "valid" -> DimMath.affine(len, stride, Math.max(kd - stride, 0));
                case "full" -> DimMath.affine(len, stride, -(stride + kd - 2));
                default -> DimMath.affine(len, stride, 0);
            };
        }
        long pad = switch (padding) {
            case "same" -> kd / 2;
            case "full" -> kd - 1;
            default -> 0;
        };
        return DimMath.affine(len, stride, -stride + kd - 2 * pad + outPad);
    }

    private static long deconv(long len, long kd, long stride, String padding, long outPad) {
        if (outPad < 0) {
            return switch (padding) {
                case "valid" -> len * stride + Math.max(kd - stride, 0);
                case "full" -> len * stride - (stride + kd - 2);
                default -> len * stride;
            };
        }
        long pad = switch (padding) {
            case "same" -> kd / 2;
            case "full" -> kd - 1;
            default -> 0;
        };
        return (len - 1) * stride + kd - 2 * pad + outPad;
    }

    static Shape pool(Shape x, Attributes a, int n) {
        if (!x.rankKnown() || x.rank() != n + 2) {
            return Shape.unknownRank();
        }
        long[] p = KerasDims.tuple(a, "pool_size", n, 2);
        long[] s = a.get("strides").isPresent() ? KerasDims.tuple(a, "strides", n, -1) : p;
        boolean cf = channelsFirst(a);
        List<Dim> d = new ArrayList<>(x.dims());
        for (int i = 0; i < n; i++) {
            int axis = cf ? i + 2 : i + 1;
            long len = x.dim(axis).valueOr(-1);
            long stride = s[i] < 0 ? p[i] : s[i];
            if (x.dim(axis) instanceof Dim.Symbolic) {
                d.set(axis, symbolicConvLength(x.dim(axis), p[i], stride, a.getString("padding", "valid")));
                continue;
            }
            long out = len < 0 ? -1 : convLength(len, p[i], stride, a.getString("padding", "valid"));
            d.set(axis, out < 0 ? Dim.UNKNOWN : Dim.of(out));
        }
        return new Shape(d);
    }

    static Shape global(Shape x, Attributes a, int n) {
        if (!x.rankKnown() || x.rank() != n + 2) {
            return Shape.unknownRank();
        }
        int c = (channelsFirst(a) ? 1 : x.rank() - 1);
        if (a.getBoolean("keepdims", false)) {
            List<Dim> d = new ArrayList<>(x.dims());
            for (int i = 1; i < d.size(); i++) {
                if (i != c) {
                    d.set(i, Dim.of(1));
                }
            }
            return new Shape(d);
        }
        return new Shape(List.of(x.dim(0), x.dim(c)));
    }

    /** Per axis, from its (before, after) pair or size: {k, c} so that the new size is k·dim + c. */
    interface Resize {
        long[] affine(long[] values);
    }

    /** UpSampling / ZeroPadding / Cropping: per spatial axis, size or (before, after) pairs. */
    static Shape resize(Shape x, Attributes a, int n, String key, Resize f) {
        if (!x.rankKnown() || x.rank() != n + 2) {
            return Shape.unknownRank();
        }
        Object raw = a.get(key).orElse(null);
        boolean cf = channelsFirst(a);
        List<Dim> d = new ArrayList<>(x.dims());
        for (int i = 0; i < n; i++) {
            int axis = cf ? i + 2 : i + 1;
            long[] v = perAxis(raw, i, n, key.equals("size") ? 2 : 1);
            long len = x.dim(axis).valueOr(-1);
            long[] kc = v == null ? null : f.affine(v);
            if (kc != null && x.dim(axis) instanceof Dim.Symbolic) {
                // where the model runs the size is not negative (a crop fits), so the clamp at 0 never applies
                d.set(axis, DimMath.affine(x.dim(axis), kc[0], kc[1]));
                continue;
            }
            d.set(axis, len < 0 || v == null ? Dim.UNKNOWN : Dim.of(Math.max(0, kc[0] * len + kc[1])));
        }
        return new Shape(d);
    }

    /** Keras accepts 1, (a, b), or ((a, b), (c, d)): the pair (or single size) for spatial axis i. */
    private static long[] perAxis(Object raw, int i, int n, long fallback) {
        if (raw == null) {
            return new long[] {fallback, fallback};
        }
        if (raw instanceof Number v) {
            return new long[] {v.longValue(), v.longValue()};
        }
        if (raw instanceof List<?> l && !l.isEmpty()) {
            Object item = l.size() == n ? l.get(i) : n == 1 ? l : null;
            if (item instanceof Number v) {
                return new long[] {v.longValue(), v.longValue()};
            }
            if (item instanceof List<?> p && p.size() == 2 && p.get(0) instanceof Number b
                    && p.get(1) instanceof Number e) {
                return new long[] {b.longValue(), e.longValue()};
            }
        }
        return null;
    }
}
