package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalisation layers. No MACs. Other FLOPs per element: {@value #STATISTICS} to compute and
 * apply the statistics (mean, centre, square, variance sum, scale) plus one per affine tensor
 * (scale, bias) present; inference-mode BatchNormalization uses stored statistics: one multiply
 * and one add per element.
 */
final class NormRules {

    static final int STATISTICS = 5;

    private NormRules() {
    }

    /**
     * BatchNormalization. Scale, bias, mean and variance are [C]; before opset 9, {@code spatial=0}
     * normalises per activation and they are [C, D1, ..., Dn] (X's dims after the batch).
     */
    static OpResult batchNorm(OpContext c) {
        Tensor x = c.input(0);
        Dim ch = x.rank() >= 2 ? x.dim(1) : (x.rank() == 1 ? x.dim(0) : Dim.UNKNOWN);
        Shape vec = new Shape(List.of(ch));
        if (c.opset() > 0 && c.opset() < 9 && c.attrs().getLong("spatial", 1) == 0) {
            vec = x.rankKnown() && x.rank() >= 2 ? new Shape(Shapes.dims(x.shape(), 1, x.rank())) : Shape.unknownRank();
        }
        OpResult.Builder b = OpResult.builder().output(Tensor.of(x.dtype(), x.shape()));
        for (int i = 1; i <= 4; i++) {
            b.weight(i, vec, new String[] {"", "scale", "bias", "mean", "variance"}[i]);
        }
        for (int i = 1; i < c.node().outputs().size(); i++) {
            b.output(Tensor.of(x.dtype(), vec)); // training mode: running mean / var
        }
        return b.macs(0).other(x.elements().times(2)).build();
    }

    /** LayerNormalization (and RMS / simplified forms): normalised over dims axis..end. */
    static OpResult layerNorm(OpContext c) {
        return layerNorm(c, 0, 1, 2, false);
    }

    static OpResult layerNorm(OpContext c, int xIn, int scaleIn, int biasIn, boolean skip) {
        Tensor x = c.input(xIn);
        OpResult.Builder b = OpResult.builder().output(Tensor.of(x.dtype(), x.shape()));
        int axis = Shapes.axis(c.attrs().getLong("axis", -1), x.rank());
        if (axis < 0) {
            b.weight(scaleIn, Shape.unknownRank(), "scale");
            for (int i = 1; i < c.node().outputs().size(); i++) {
                b.output(Tensor.UNKNOWN);
            }
            return b.build();
        }
        Shape normalized = new Shape(Shapes.dims(x.shape(), axis, x.rank()));
        b.weight(scaleIn, normalized, "scale");
        if (biasIn >= 0 && c.present(biasIn)) {
            b.weight(biasIn, normalized, "bias");
        }
        List<Dim> stat = new ArrayList<>(Shapes.dims(x.shape(), 0, axis));
        for (int i = axis; i < x.rank(); i++) {
            stat.add(Dim.of(1));
        }
        DType statType = Args.dtypeAttr(c, "stash_type", DType.FLOAT);
        int outs = c.node().outputs().size();
        for (int i = 1; i < outs; i++) {
            // skip forms: mean, inv_std_var, then the input+skip(+bias) sum
            boolean sumOutput = skip && i == 3;
            b.output(sumOutput ? Tensor.of(x.dtype(), x.shape()) : Tensor.of(statType, new Shape(stat)));
        }
        int perElement = STATISTICS + (c.present(scaleIn) ? 1 : 0) + (biasIn >= 0 && c.present(biasIn) ? 1 : 0);
        return b.macs(0).other(x.elements().times(perElement)).build();
    }

    /** com.microsoft SkipLayerNormalization: input, skip, gamma, beta?, bias?. */
    static OpResult skipLayerNorm(OpContext c, boolean simplified) {
        Tensor x = c.input(0);
        Dim hidden = x.dim(-1);
        OpResult r = layerNorm(c, 0, 2, simplified ? -1 : 3, true);
        OpResult.Builder b = OpResult.builder().outputs(r.outputs()).macs(0);
        b.weight(2, new Shape(List.of(hidden)), "scale");
        if (!simplified && c.present(3)) {
            b.weight(3, new Shape(List.of(hidden)), "bias");
        }
        int biasIn = simplified ? 3 : 4;
        if (c.present(biasIn)) {
            b.weight(biasIn, new Shape(List.of(hidden)), "bias");
        }
        Count adds = x.elements().times(1 + (c.present(biasIn) ? 1 : 0));
        return b.other(r.otherFlops().plus(adds)).build();
    }

    /** InstanceNormalization: per-channel statistics, scale and bias of size C. */
    static OpResult instanceNorm(OpContext c) {
        Tensor x = c.input(0);
        Shape vec = new Shape(List.of(x.dim(1)));
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).weight(1, vec, "scale")
                .weight(2, vec, "bias").macs(0).other(x.elements().times(STATISTICS + 2)).build();
    }

    /** GroupNormalization: scale/bias of size C from opset 21, of num_groups before. */
    static OpResult groupNorm(OpContext c) {
        Tensor x = c.input(0);
        long groups = c.attrs().getLong("num_groups", -1);
        Dim size = c.opset() > 0 && c.opset() < 21 ? (groups > 0 ? Dim.of(groups) : Dim.UNKNOWN) : x.dim(1);
        Shape vec = new Shape(List.of(size));
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).weight(1, vec, "scale")
                .weight(2, vec, "bias").macs(0).other(x.elements().times(STATISTICS + 2)).build();
    }

    /** LRN: a sum of squares over {@code size} channels, then scale and divide: size + 3 per element. */
    static OpResult lrn(OpContext c) {
        Tensor x = c.input(0);
        long size = Math.max(1, c.attrs().getLong("size", 1));
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0)
                .other(x.elements().times(size + 3)).build();
    }

    /** LpNormalization, MeanVarianceNormalization: statistics only. */
    static OpResult plain(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0)
                .other(x.elements().times(STATISTICS)).build();
    }

    /**
     * com.microsoft EmbedLayerNormalization: word + position (+ segment) embeddings, then
     * LayerNormalization. Outputs [B, S, H], mask index [B], and optionally the embedding sum.
     */
    static OpResult embedLayerNorm(OpContext c) {
        Tensor ids = c.input(0);
        Tensor word = c.input(2);
        Dim hidden = word.dim(-1);
        Dim bDim = ids.dim(0);
        Dim sDim = ids.dim(1);
        Shape y = ids.rank() == 2 ? new Shape(List.of(bDim, sDim, hidden)) : Shape.unknownRank();
        OpResult.Builder b = OpResult.builder().output(Tensor.of(word.dtype(), y))
                .output(Tensor.of(DType.INT32, new Shape(List.of(bDim))));
        if (c.node().outputs().size() > 2) {
            b.output(Tensor.of(word.dtype(), y));
        }
        b.weight(2, new Shape(List.of(Dim.UNKNOWN, hidden)), "word embedding");
        b.weight(3, new Shape(List.of(Dim.UNKNOWN, hidden)), "position embedding");
        if (c.present(4)) {
            b.weight(4, new Shape(List.of(Dim.UNKNOWN, hidden)), "segment embedding");
        }
        b.weight(5, new Shape(List.of(hidden)), "scale").weight(6, new Shape(List.of(hidden)), "bias");
        Count elems = Shapes.elements(y);
        int adds = c.present(4) ? 2 : 1;
        return b.macs(0).other(elems.times(STATISTICS + 2 + adds)).build();
    }
}
