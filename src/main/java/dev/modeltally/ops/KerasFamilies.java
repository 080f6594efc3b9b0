package dev.modeltally.ops;

import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The Keras rule families by the name the layer table gives them: the one place a family is
 * registered. A new layer of a known family is a table row; a new family is a rule class plus an
 * entry here plus its rows.
 */
final class KerasFamilies {

    private static final class Holder {
        static final Map<String, KerasFamily> BY_NAME = build();
    }

    private KerasFamilies() {
    }

    /** The family of this name, or null (the table's "-", or a name nothing implements). */
    static KerasFamily get(String name) {
        return Holder.BY_NAME.get(name);
    }

    private static Map<String, KerasFamily> build() {
        BiFunction<KerasCall, List<Shape>, Cost> free = KerasLayoutFamilies::free;
        return Map.ofEntries(
                Map.entry("free", of(KerasLayoutFamilies::same, free)),
                Map.entry("flatten", of(KerasLayoutFamilies::flatten, free)),
                Map.entry("reshape", of(KerasLayoutFamilies::reshape, free)),
                Map.entry("permute", of(KerasLayoutFamilies::permute, free)),
                Map.entry("repeat", of(KerasLayoutFamilies::repeat, free)),
                Map.entry("concat", of(KerasLayoutFamilies::concat, free)),
                Map.entry("pad", of(KerasLayoutFamilies::pad, free)),
                Map.entry("crop", of(KerasLayoutFamilies::crop, free)),
                Map.entry("upsample", of(KerasLayoutFamilies::upsample, free)),
                Map.entry("resize", of(KerasLayoutFamilies::resize, KerasLayoutFamilies::resizeCost)),
                Map.entry("lookup", of(KerasLayoutFamilies::lookup, free)),
                Map.entry("category_encoding", of(KerasLayoutFamilies::categoryEncoding, free)),
                Map.entry("compare", of(KerasLayoutFamilies::compare, KerasLayoutFamilies::perElement)),
                Map.entry("activation", of(KerasLayoutFamilies::same, KerasDenseFamilies::activationCost,
                        KerasDenseFamilies::activationSizes)),
                Map.entry("merge", of(KerasLayoutFamilies::same, KerasDenseFamilies::mergeCost)),
                Map.entry("scale", of(KerasLayoutFamilies::same, KerasDenseFamilies::scaleCost)),
                Map.entry("dot", of(KerasDenseFamilies::dot, KerasDenseFamilies::dotCost)),
                Map.entry("dense", of(KerasDenseFamilies::dense, KerasDenseFamilies::denseCost)),
                Map.entry("einsum_dense", new KerasEinsumDense()),
                Map.entry("embedding", of(KerasDenseFamilies::embedding, KerasDenseFamilies::embeddingCost)),
                Map.entry("reduce", of(KerasDenseFamilies::reduce, KerasDenseFamilies::reduceCost)),
                Map.entry("affine_norm", of(KerasLayoutFamilies::same, KerasDenseFamilies::affineNormCost,
                        KerasDenseFamilies::normSizes)),
                Map.entry("stat_norm", of(KerasLayoutFamilies::same, KerasDenseFamilies::statNormCost,
                        KerasDenseFamilies::normSizes)),
                Map.entry("conv", new KerasConvFamilies.Conv("conv")),
                Map.entry("conv_transpose", new KerasConvFamilies.Conv("conv_transpose")),
                Map.entry("depthwise_conv", new KerasConvFamilies.Conv("depthwise_conv")),
                Map.entry("separable_conv", new KerasConvFamilies.Conv("separable_conv")),
                Map.entry("pool", of(KerasConvFamilies::pool, KerasConvFamilies::poolCost)),
                Map.entry("global_pool", of(KerasConvFamilies::globalPool, KerasConvFamilies::readAll)),
                Map.entry("adaptive_pool", of(KerasConvFamilies::adaptivePool, KerasConvFamilies::readAll)),
                Map.entry("rnn", new KerasRecurrentFamilies.Rnn()),
                Map.entry("conv_rnn", new KerasRecurrentFamilies.ConvRnn()),
                Map.entry("rnn_layer", new KerasRecurrentFamilies.RnnLayer()),
                Map.entry("bidirectional", new KerasWrapperFamilies.Bidirectional()),
                Map.entry("time_distributed", new KerasWrapperFamilies.TimeDistributed()),
                Map.entry("spectral_norm", new KerasWrapperFamilies.SpectralNormalization()),
                Map.entry("mha", new KerasAttentionFamilies.MultiHead()),
                Map.entry("gqa", new KerasAttentionFamilies.GroupQuery()),
                Map.entry("attention", new KerasAttentionFamilies.DotProduct(false)),
                Map.entry("additive_attention", new KerasAttentionFamilies.DotProduct(true)));
    }

    static KerasFamily of(Function<KerasCall, List<Shape>> shapes, BiFunction<KerasCall, List<Shape>, Cost> cost) {
        return of(shapes, cost, null);
    }

    static KerasFamily of(Function<KerasCall, List<Shape>> shapes, BiFunction<KerasCall, List<Shape>, Cost> cost,
                          BiConsumer<KerasCall, Map<String, long[]>> sizes) {
        return new KerasFamily() {
            @Override
            public List<Shape> outputs(KerasCall c) {
                return shapes.apply(c);
            }

            @Override
            public Cost cost(KerasCall c, List<Shape> out) {
                return cost.apply(c, out);
            }

            @Override
            public void sizes(KerasCall c, Map<String, long[]> s) {
                KerasFamily.super.sizes(c, s);
                if (sizes != null) {
                    sizes.accept(c, s);
                }
            }
        };
    }
}
