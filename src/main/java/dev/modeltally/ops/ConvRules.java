package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Conv, ConvTranspose and their quantized forms, N-dimensional, channels-first (ONNX layout).
 * MACs: N·C_out·∏out_spatial·(C_in/group)·∏kernel for Conv; N·C_in·∏in_spatial·(C_out/group)·∏kernel
 * for ConvTranspose (each input pixel scatters one kernel), as torch's FlopCounterMode counts.
 */
final class ConvRules {

    /** Where the data, weight and bias inputs sit (they move in the quantized ops). */
    record Layout(int x, int w, int b, DType out) {
    }

    static final Layout CONV = new Layout(0, 1, 2, null);
    static final Layout CONV_INTEGER = new Layout(0, 1, -1, DType.INT32);
    static final Layout QLINEAR_CONV = new Layout(0, 3, 8, null);
    static final Layout DEFORM_CONV = new Layout(0, 1, 3, null);

    private ConvRules() {
    }

    static OpRule conv(Layout layout) {
        return c -> conv(c, layout);
    }

    static OpResult conv(OpContext c, Layout l) {
        Tensor x = c.input(l.x);
        Tensor w = c.input(l.w);
        long group = Math.max(1, c.attrs().getLong("group", 1));
        int spatial = spatialRank(x, w, c);
        OpResult.Builder out = OpResult.builder();
        DType dtype = l.out != null ? l.out : x.dtype();
        if (l == QLINEAR_CONV) {
            dtype = c.present(7) ? c.input(7).dtype() : DType.UINT8;
        }
        if (spatial < 0) {
            out.weight(l.w, Shape.unknownRank(), "weight");
            return out.output(Tensor.of(dtype, Shape.unknownRank())).build();
        }
        long[] kernel = kernel(c, w, spatial);
        Dim cin = x.dim(1);
        Dim cout = w.rank() == spatial + 2 ? w.dim(0) : Dim.UNKNOWN;
        // expected weight: [C_out, C_in/group, k...]
        List<Dim> wdims = new ArrayList<>();
        wdims.add(cout);
        wdims.add(DimMath.div(cin, Dim.of(group)));
        for (long k : kernel) {
            wdims.add(k < 0 ? Dim.UNKNOWN : Dim.of(k));
        }
        out.weight(l.w, new Shape(wdims), "weight");
        if (l.b >= 0 && c.present(l.b)) {
            out.weight(l.b, new Shape(List.of(cout)), "bias");
        }
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dim(0));
        dims.add(cout);
        long[] strides = Args.longs(c, "strides", spatial, 1);
        long[] dilations = Args.longs(c, "dilations", spatial, 1);
        long[] pads = Args.longs(c, "pads", 2 * spatial, 0);
        String autoPad = c.attrs().getString("auto_pad", "NOTSET");
        for (int i = 0; i < spatial; i++) {
            dims.add(ConvMath.outSize(x.dim(2 + i), kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial],
                    autoPad, false));
        }
        Shape y = new Shape(dims);
        if (cin instanceof Dim.Fixed f && f.value() % group != 0) {
            out.problem("input channels " + f.value() + " not divisible by group " + group);
        }
        Count kernelElems = Count.product(kernel);
        Dim cinPerGroup = w.rank() == spatial + 2 ? w.dim(1) : DimMath.div(cin, Dim.of(group));
        Count outElems = Shapes.elements(y);
        Count macs = outElems.times(Count.of(cinPerGroup)).times(kernelElems);
        Count bias = l.b >= 0 && c.present(l.b) ? outElems : Count.ZERO;
        return out.output(Tensor.of(dtype, y)).macs(macs).other(bias).build();
    }

    /**
     * DeformConv: a Conv whose kernel taps sample the input at learned offsets; the MACs of the
     * equivalent Conv, plus 4 other FLOPs per bilinear sample (N·C_in·∏out·∏kernel samples).
     */
    static OpResult deformConv(OpContext c) {
        OpResult r = conv(c, DEFORM_CONV);
        Count perTap = r.macs().times(4);
        Count samples = perTap.div(Math.max(1, Count.of(c.input(1).dim(0)).orElse(0)))
                .times(Math.max(1, c.attrs().getLong("group", 1)));
        return r.withCost(Cost.of(r.macs(), r.otherFlops().plus(samples)));
    }

    static OpResult convTranspose(OpContext c) {
        Tensor x = c.input(0);
        Tensor w = c.input(1);
        long group = Math.max(1, c.attrs().getLong("group", 1));
        int spatial = spatialRank(x, w, c);
        OpResult.Builder out = OpResult.builder();
        if (spatial < 0) {
            out.weight(1, Shape.unknownRank(), "weight");
            return out.output(Tensor.of(x.dtype(), Shape.unknownRank())).build();
        }
        long[] kernel = kernel(c, w, spatial);
        Dim cin = x.dim(1);
        Dim coutPerGroup = w.rank() == spatial + 2 ? w.dim(1) : Dim.UNKNOWN;
        Dim cout = DimMath.mul(coutPerGroup, Dim.of(group));
        List<Dim> wdims = new ArrayList<>();
        wdims.add(cin);
        wdims.add(coutPerGroup);
        for (long k : kernel) {
            wdims.add(k < 0 ? Dim.UNKNOWN : Dim.of(k));
        }
        out.weight(1, new Shape(wdims), "weight");
        if (c.present(2)) {
            out.weight(2, new Shape(List.of(cout)), "bias");
        }
        long[] strides = Args.longs(c, "strides", spatial, 1);
        long[] dilations = Args.longs(c, "dilations", spatial, 1);
        long[] pads = Args.longs(c, "pads", 2 * spatial, 0);
        long[] outPad = Args.longs(c, "output_padding", spatial, 0);
        long[] outputShape = c.attrs().getLongs("output_shape").orElse(null);
        String autoPad = c.attrs().getString("auto_pad", "NOTSET");
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dim(0));
        dims.add(cout);
        for (int i = 0; i < spatial; i++) {
            if (outputShape != null && outputShape.length >= spatial) {
                dims.add(Dim.of(Math.max(0, outputShape[outputShape.length - spatial + i])));
                continue;
            }
            dims.add(ConvMath.transposedOutSize(x.dim(2 + i), kernel[i], strides[i], dilations[i], pads[i],
                    pads[i + spatial], outPad[i], autoPad));
        }
        Shape y = new Shape(dims);
        Count macs = x.elements().times(Count.of(coutPerGroup)).times(Count.product(kernel));
        Count bias = c.present(2) ? Shapes.elements(y) : Count.ZERO;
        return out.output(Tensor.of(x.dtype(), y)).macs(macs).other(bias).build();
    }

    /** Spatial rank from the input or the weight; -1 when neither says. */
    private static int spatialRank(Tensor x, Tensor w, OpContext c) {
        if (x.rank() >= 3) {
            return x.rank() - 2;
        }
        if (w.rank() >= 3) {
            return w.rank() - 2;
        }
        long[] k = c.attrs().getLongs("kernel_shape").orElse(null);
        return k != null && x.rank() == k.length + 2 ? k.length : -1;
    }

    private static long[] kernel(OpContext c, Tensor w, int spatial) {
        long[] k = c.attrs().getLongs("kernel_shape").orElse(null);
        if (k != null && k.length == spatial) {
            return k;
        }
        long[] out = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            out[i] = w.rank() == spatial + 2 ? w.dim(2 + i).valueOr(-1) : -1; // -1 as in a broken kernel_shape
        }
        return out;
    }
}
