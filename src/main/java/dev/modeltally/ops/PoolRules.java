package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Pooling, channels-first. No MACs; other FLOPs: one per window element per output (compare or
 * add), global pooling one per input element.
 */
final class PoolRules {

    private PoolRules() {
    }

    /** MaxPool, AveragePool, LpPool and QLinearAveragePool: windowed pooling. */
    static OpResult window(OpContext c) {
        Tensor x = c.input(0);
        long[] kernel = c.attrs().getLongs("kernel_shape").orElse(null);
        boolean maxPool = c.node().opType().equals("MaxPool");
        int outputs = Math.max(1, c.node().outputs().size());
        if (x.rank() < 3 || kernel == null || kernel.length != x.rank() - 2) {
            Tensor y = Tensor.of(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank()) : Shape.unknownRank());
            OpResult.Builder b = OpResult.builder().output(y);
            if (outputs > 1) {
                b.output(y.withDtype(DType.INT64));
            }
            return b.build();
        }
        int spatial = kernel.length;
        long[] strides = Args.longs(c, "strides", spatial, 1);
        long[] dilations = Args.longs(c, "dilations", spatial, 1);
        long[] pads = Args.longs(c, "pads", 2 * spatial, 0);
        boolean ceil = c.attrs().getLong("ceil_mode", 0) != 0;
        String autoPad = c.attrs().getString("auto_pad", "NOTSET");
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dim(0));
        dims.add(x.dim(1));
        for (int i = 0; i < spatial; i++) {
            dims.add(ConvMath.outSize(x.dim(2 + i), kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial],
                    autoPad, ceil));
        }
        Shape y = new Shape(dims);
        OpResult.Builder b = OpResult.builder().output(Tensor.of(x.dtype(), y));
        if (maxPool && outputs > 1) {
            b.output(Tensor.of(DType.INT64, y));
        }
        return b.macs(0).other(Shapes.elements(y).times(kernel)).build();
    }

    /** GlobalAveragePool, GlobalMaxPool, GlobalLpPool: every spatial dim becomes 1. */
    static OpResult global(OpContext c) {
        Tensor x = c.input(0);
        boolean channelsLast = c.attrs().getLong("channels_last", 0) != 0;
        if (x.rank() < 3) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank())).build();
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            boolean keep = i == 0 || (channelsLast ? i == x.rank() - 1 : i == 1);
            dims.add(keep ? x.dim(i) : Dim.of(1));
        }
        return OpResult.builder().output(Tensor.of(x.dtype(), new Shape(dims))).macs(0).other(x.elements()).build();
    }
}
