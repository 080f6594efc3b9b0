package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Sampling, region and selection ops of vision models: GridSample, AffineGrid, RoiAlign,
 * MaxRoiPool, MaxUnpool, CenterCropPad, NonMaxSuppression, Compress, Unique, Multinomial, Det.
 * Where a count depends on the data (boxes kept, unique values) the dim is Unknown by nature.
 * Other FLOPs: bilinear sampling 4 per sample (RoiAlign: per sampling point), AffineGrid 2 per
 * coordinate term, Unique and Multinomial 1 per input element, Det 2·M³/3 per matrix;
 * NonMaxSuppression and MaxRoiPool depend on the data and are unknown.
 */
final class VisionRules {

    private VisionRules() {
    }

    /** GridSample: X [N, C, spatial...], grid [N, out spatial..., r] → [N, C, out spatial...]. */
    static OpResult gridSample(OpContext c) {
        Tensor x = c.input(0);
        Tensor grid = c.input(1);
        if (!grid.rankKnown() || grid.rank() < 3) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank())).build();
        }
        List<Dim> dims = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
        dims.addAll(Shapes.dims(grid.shape(), 1, grid.rank() - 1));
        Shape y = new Shape(dims);
        long per = c.attrs().getString("mode", "linear").equals("nearest") ? 0 : 4;
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).macs(0).other(Shapes.elements(y).times(per))
                .build();
    }

    /** AffineGrid: theta [N, 2, 3], size [N, C, H, W] → grid [N, H, W, 2] (3-D: [N, D, H, W, 3]). */
    static OpResult affineGrid(OpContext c) {
        Tensor theta = c.input(0);
        List<SymInt> size = c.input(1).values();
        if (size == null || size.size() < 4) {
            return OpResult.builder().output(Tensor.of(theta.dtype(), Shape.unknownRank())).build();
        }
        List<Dim> dims = new ArrayList<>();
        dims.add(size.get(0).toDim());
        for (int i = 2; i < size.size(); i++) {
            dims.add(size.get(i).toDim());
        }
        dims.add(Dim.of(size.size() - 2));
        Shape y = new Shape(dims);
        return OpResult.builder().output(Tensor.of(theta.dtype(), y)).macs(0)
                .other(Shapes.elements(y).times(2L * (size.size() - 1))).build();
    }

    /** RoiAlign: X [N, C, H, W], rois [R, 4] → [R, C, output_height, output_width]. */
    static OpResult roiAlign(OpContext c) {
        Tensor x = c.input(0);
        Tensor rois = c.input(1);
        long oh = c.attrs().getLong("output_height", 1);
        long ow = c.attrs().getLong("output_width", 1);
        long ratio = c.attrs().getLong("sampling_ratio", 0);
        Shape y = new Shape(List.of(rois.dim(0), x.dim(1), oh >= 0 ? Dim.of(oh) : Dim.UNKNOWN,
                ow >= 0 ? Dim.of(ow) : Dim.UNKNOWN));
        Count other = ratio > 0 ? Shapes.elements(y).times(4 * ratio * ratio) : Count.UNKNOWN;
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).macs(0).other(other).build();
    }

    /** MaxRoiPool: [R, C, pooled_h, pooled_w]; the work depends on the boxes. */
    static OpResult maxRoiPool(OpContext c) {
        Tensor x = c.input(0);
        long[] pooled = c.attrs().getLongs("pooled_shape").orElse(null);
        Shape y = pooled != null && pooled.length == 2 ? new Shape(List.of(c.input(1).dim(0), x.dim(1),
                Shapes.ofSizes(pooled).dim(0), Shapes.ofSizes(pooled).dim(1))) : Shapes.unknownDims(4);
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).macs(0).build();
    }

    /** MaxUnpool: output_shape input, else (in - 1)·stride + kernel - pads per spatial dim. */
    static OpResult maxUnpool(OpContext c) {
        Tensor x = c.input(0);
        if (c.present(2) && c.input(2).values() != null) {
            return OpResult.free(Tensor.of(x.dtype(), new Shape(Shapes.fromValues(c.input(2).values()))));
        }
        long[] kernel = c.attrs().getLongs("kernel_shape").orElse(null);
        if (x.rank() < 3 || kernel == null || kernel.length != x.rank() - 2) {
            return OpResult.free(Tensor.of(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank()) : Shape.unknownRank()));
        }
        int n = kernel.length;
        long[] strides = Args.longs(c, "strides", n, 1);
        long[] pads = Args.longs(c, "pads", 2 * n, 0);
        List<Dim> dims = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
        for (int i = 0; i < n; i++) {
            if (x.dim(2 + i) instanceof Dim.Symbolic) {
                dims.add(DimMath.affine(x.dim(2 + i), strides[i], kernel[i] - strides[i] - pads[i] - pads[i + n]));
                continue;
            }
            // a negative size (broken attributes) is unknown
            dims.add(x.dim(2 + i) instanceof Dim.Fixed in
                    ? Count.ofSize((in.value() - 1) * strides[i] + kernel[i] - pads[i] - pads[i + n]).asDim() : Dim.UNKNOWN);
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** CenterCropPad: the dims named by axes (default all) become the given shape. */
    static OpResult centerCropPad(OpContext c) {
        Tensor x = c.input(0);
        List<SymInt> target = c.input(1).values();
        long[] axes = c.attrs().getLongs("axes").orElse(null);
        if (!x.rankKnown() || target == null) {
            return OpResult.free(Tensor.of(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank()) : Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        for (int i = 0; i < target.size(); i++) {
            int k = Shapes.axis(axes == null ? i : (i < axes.length ? axes[i] : -1000), x.rank());
            if (k >= 0) {
                dims.set(k, target.get(i).toDim());
            }
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** NonMaxSuppression: [selected, 3] INT64, the count data-dependent; its work too. */
    static OpResult nonMaxSuppression(OpContext c) {
        return OpResult.builder().output(Tensor.of(DType.INT64, new Shape(List.of(Dim.UNKNOWN, Dim.of(3))))).macs(0)
                .build();
    }

    /** Compress: the selected count is data-dependent. */
    static OpResult compress(OpContext c) {
        Tensor x = c.input(0);
        if (!c.attrs().has("axis") || !x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), new Shape(List.of(Dim.UNKNOWN))));
        }
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), x.rank());
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        if (axis >= 0) {
            dims.set(axis, Dim.UNKNOWN);
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** Unique: Y, indices, inverse_indices, counts; sizes data-dependent except inverse_indices. */
    static OpResult unique(OpContext c) {
        Tensor x = c.input(0);
        boolean flat = !c.attrs().has("axis");
        Shape y = flat || !x.rankKnown() ? new Shape(List.of(Dim.UNKNOWN)) : Shapes.unknownDims(x.rank());
        Shape n = new Shape(List.of(Dim.UNKNOWN));
        Dim inverse = flat ? DimMath.product(x.rankKnown() ? x.shape().dims() : List.of(Dim.UNKNOWN))
                : x.dim((int) c.attrs().getLong("axis", 0));
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).output(Tensor.of(DType.INT64, n))
                .output(Tensor.of(DType.INT64, new Shape(List.of(inverse)))).output(Tensor.of(DType.INT64, n))
                .macs(0).other(x.elements()).build();
    }

    /** Multinomial: [batch, sample_size] of dtype (INT32 by default). */
    static OpResult multinomial(OpContext c) {
        Tensor x = c.input(0);
        long samples = c.attrs().getLong("sample_size", 1);
        Shape y = new Shape(List.of(x.dim(0), samples >= 0 ? Dim.of(samples) : Dim.UNKNOWN));
        return OpResult.builder().output(Tensor.of(Args.dtypeAttr(c, "dtype", DType.INT32), y)).macs(0)
                .other(x.elements()).build();
    }

    /** Det: batch dims of [..., M, M]; an LU factorisation, 2·M³/3 other FLOPs per matrix (not MACs). */
    static OpResult det(OpContext c) {
        Tensor x = c.input(0);
        if (x.rank() < 2) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank())).build();
        }
        Shape y = new Shape(Shapes.dims(x.shape(), 0, x.rank() - 2));
        Count m = Count.of(x.dim(-1));
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).macs(0)
                .other(Shapes.elements(y).times(m.times(m).times(m).times(2).div(3))).build();
    }
}
