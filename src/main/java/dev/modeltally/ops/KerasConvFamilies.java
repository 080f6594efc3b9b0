package dev.modeltally.ops;

import dev.modeltally.ir.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras convolutions and pooling, channels_last or channels_first. MACs: convolution K·(Ci/groups)
 * per output element; depthwise K per output element; separable depthwise + Ci·m·Co per output
 * position; transposed K·Ci·(Co/groups) per input element. Bias adds and the fused activation are
 * other FLOPs; pooling one FLOP per window element per output.
 */
final class KerasConvFamilies {

    private KerasConvFamilies() {
    }

    /** Conv, DepthwiseConv, SeparableConv, ConvTranspose: which one is the row's family. */
    static final class Conv implements KerasFamily {
        private final String kind;

        Conv(String kind) {
            this.kind = kind;
        }

        @Override
        public List<Shape> outputs(KerasCall c) {
            int n = c.spatialRank();
            long filters = kind.equals("depthwise_conv") ? -2 : c.num("filters", -1);
            return List.of(KerasSpatialShapes.conv(c.x(), c.attrs(), n, filters, kind.equals("conv_transpose")));
        }

        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            int n = c.spatialRank();
            sizes.put("cin", new long[] {channels(c, c.x()).orElse(-1)}); // -1: an unknown weight dim
            sizes.put("K...", c.tuple("kernel_size", n, -1));
            long[] ones = new long[n];
            Arrays.fill(ones, 1);
            sizes.put("ONES...", ones);
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape x = c.x();
            Shape y = out.isEmpty() ? Shape.unknownRank() : out.get(0);
            Count ye = Shapes.elements(y);
            int n = c.spatialRank();
            if (!x.rankKnown() || !y.rankKnown() || !ye.known() || n < 1 || x.rank() != n + 2) {
                return Cost.UNKNOWN;
            }
            Count other = bias(c, ye).plus(activation(c, ye));
            Count kernel = Count.product(c.tuple("kernel_size", n, -1));
            Count ci = channels(c, x);
            Count co = channels(c, y);
            Count positions = ye.div(co.orElse(0)); // batch · spatial out
            long m = c.num("depth_multiplier", 1);
            long groups = Math.max(1, c.num("groups", 1));
            Count macs = switch (kind) {
                case "conv" -> ye.times(kernel).times(ci.div(groups));
                case "depthwise_conv" -> ye.times(kernel);
                case "separable_conv" -> positions.times(ci).times(m).times(kernel)
                        .plus(positions.times(ci).times(m).times(co));
                case "conv_transpose" -> Shapes.elements(x).times(kernel).times(co.div(groups));
                default -> Count.UNKNOWN;
            };
            return Cost.of(macs, other);
        }
    }

    static Count channels(KerasCall c, Shape s) {
        if (!s.rankKnown() || s.rank() < 2) {
            return Count.UNKNOWN;
        }
        return Count.of(s.dim(c.channelsFirst() ? 1 : s.rank() - 1));
    }

    static Count bias(KerasCall c, Count elements) {
        return c.flag("use_bias", true) ? elements : Count.ZERO;
    }

    /** FLOPs of a fused activation: 0 for linear/none, 3 per element for softmax, else 1. */
    static Count activation(KerasCall c, Count elements) {
        Object act = c.attrs().get("activation").orElse(null);
        String name = act instanceof String s ? s : act instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> cf
                && cf.get("name") instanceof String s2 ? s2 : act == null ? "linear" : "?";
        if (name.equals("linear") || name.equals("None")) {
            return Count.ZERO;
        }
        return name.equals("softmax") ? elements.times(3) : elements; // softmax: exp, sum, divide
    }

    static List<Shape> pool(KerasCall c) {
        return List.of(KerasSpatialShapes.pool(c.x(), c.attrs(), c.spatialRank()));
    }

    static Cost poolCost(KerasCall c, List<Shape> out) {
        int n = c.spatialRank();
        Count e = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        return Cost.elementwise(e.times(Count.product(c.tuple("pool_size", n, 2))));
    }

    static List<Shape> globalPool(KerasCall c) {
        return List.of(KerasSpatialShapes.global(c.x(), c.attrs(), c.spatialRank()));
    }

    /** Global and adaptive pooling read every input element once. */
    static Cost readAll(KerasCall c, List<Shape> out) {
        return Cost.elementwise(Shapes.elements(c.x()));
    }

    /** AdaptiveAveragePooling / AdaptiveMaxPooling: the spatial dims become output_size. */
    static List<Shape> adaptivePool(KerasCall c) {
        Shape x = c.x();
        int n = c.spatialRank();
        if (!x.rankKnown() || x.rank() != n + 2) {
            return List.of(Shape.unknownRank());
        }
        long[] size = c.tuple("output_size", n, -1);
        List<dev.modeltally.ir.Dim> d = new java.util.ArrayList<>(x.dims());
        for (int i = 0; i < n; i++) {
            d.set(c.channelsFirst() ? i + 2 : i + 1, KerasCall.dim(size[i]));
        }
        return List.of(new Shape(d));
    }
}
