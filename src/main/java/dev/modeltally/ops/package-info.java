/**
 * Op rules: one small class per op family, all registered in {@link dev.modeltally.ops.OpRegistry}.
 *
 * <p>A rule ({@link dev.modeltally.ops.OpRule}) sees its node through an
 * {@link dev.modeltally.ops.OpContext} — attributes, what is known of each input
 * ({@link dev.modeltally.ops.Tensor}: dtype, shape with Fixed/Symbolic/Unknown dims, and for small
 * tensors their values as {@link dev.modeltally.ops.SymInt}s), the stored weight behind an input,
 * the opset — and answers with an {@link dev.modeltally.ops.OpResult}: output tensors, the
 * {@link dev.modeltally.ops.Cost} of one execution (MACs and other FLOPs, each a
 * {@link dev.modeltally.ops.Count}: a known number or unknown, apart; an unknown term or factor, or an
 * overflow, makes a sum or product unknown, never 0 and never wrapped), the weight shapes it expects
 * ({@link dev.modeltally.ops.WeightSpec}, for the cross-check), contradictions and assumptions.
 * Rules never guess and never throw on a valid model; what they cannot decide stays unknown, and the
 * compute estimate then says its totals are lower bounds.
 *
 * <p>Depends on {@code ir} only. Keras layers are rules of the same kind, found under
 * {@code keras:<class name>} (the importer sets {@code domain = "keras"}, {@code opType} = the Keras
 * class, {@code attrs} = the layer config). What a Keras class is — aliases, family, attribute
 * defaults, the variables its build() makes with role, trainable flag and shape — is one row of the
 * layer table ({@link dev.modeltally.ir.KerasLayerTable}, read by the readers too); its rule is the
 * family's ({@link dev.modeltally.ops.KerasFamily}, registered by name in {@code KerasFamilies}), which
 * gives output shapes, the input sizes the row's weight shapes use, and the cost, and returns the
 * implied weights as {@link dev.modeltally.ops.WeightSpec}s for the cross-check. A layer of a known
 * family is one table row; a new family is one rule class, its entry in {@code KerasFamilies}, and
 * rows. Shape equations that do not depend on layout
 * live in {@link dev.modeltally.ops.ConvMath} (window sizes, "same"/"valid" padding),
 * {@link dev.modeltally.ops.DimMath} (symbolic products) and {@link dev.modeltally.ops.Shapes}
 * (broadcasting), so a channels-last Conv2D rule only maps its dims and reuses them.
 */
package dev.modeltally.ops;
