package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.KerasLayerTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The one map from op type to rule. Keys are the op type for the standard ONNX domain, and
 * {@code domain:opType} for others ({@code com.microsoft:Attention}); Keras layers plug in the same
 * way under the domain {@code keras} ({@code keras:Conv2D}), their attributes being the layer config.
 */
public final class OpRegistry {

    private static final Map<String, OpRule> RULES = build();

    private OpRegistry() {
    }

    /** The rule for an op, or null when there is none. */
    public static OpRule find(String domain, String opType) {
        if (KerasLayerTable.DOMAIN.equals(domain)) {
            return KerasRules.find(opType);
        }
        return RULES.get(key(domain, opType));
    }

    public static String key(String domain, String opType) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + ":" + opType;
    }

    /** Every registered key (for docs and tests). */
    public static Map<String, OpRule> all() {
        Map<String, OpRule> m = new LinkedHashMap<>(RULES);
        m.putAll(KerasRules.all());
        return Collections.unmodifiableMap(m);
    }

    private static final String MS = "com.microsoft:";

    private static Map<String, OpRule> build() {
        Map<String, OpRule> m = new LinkedHashMap<>();
        // convolution
        m.put("Conv", ConvRules.conv(ConvRules.CONV));
        m.put("ConvInteger", ConvRules.conv(ConvRules.CONV_INTEGER));
        m.put("QLinearConv", ConvRules.conv(ConvRules.QLINEAR_CONV));
        m.put("ConvTranspose", ConvRules::convTranspose);
        m.put("DeformConv", ConvRules::deformConv);
        m.put(MS + "FusedConv", ConvRules.conv(ConvRules.CONV));
        m.put(MS + "QLinearConv", ConvRules.conv(ConvRules.QLINEAR_CONV));
        // matrix products
        m.put("MatMul", MatMulRules.matmul(MatMulRules.MATMUL));
        m.put("MatMulInteger", MatMulRules.matmul(MatMulRules.MATMUL_INTEGER));
        m.put("QLinearMatMul", MatMulRules.matmul(MatMulRules.QLINEAR_MATMUL));
        m.put("Gemm", MatMulRules.gemm(0, 1, 2));
        m.put("Einsum", EinsumRule::apply);
        m.put(MS + "FusedMatMul", MatMulRules::fusedMatMul);
        m.put(MS + "QGemm", MatMulRules.gemm(0, 3, 6));
        m.put(MS + "MatMulNBits", MatMulRules::matMulNBits);
        m.put(MS + "MatMulIntegerToFloat", MatMulRules.matmul(MatMulRules.TO_FLOAT));
        m.put(MS + "DynamicQuantizeMatMul", MatMulRules.matmul(MatMulRules.TO_FLOAT));
        m.put(MS + "FusedGemm", MatMulRules.gemm(0, 1, 2));
        // attention
        m.put("Attention", AttentionRules::onnxAttention);
        m.put("RotaryEmbedding", AttentionRules::rotary);
        m.put(MS + "Attention", AttentionRules::contribAttention);
        m.put(MS + "MultiHeadAttention", AttentionRules::multiHead);
        m.put(MS + "GroupQueryAttention", AttentionRules::groupQuery);
        m.put(MS + "RotaryEmbedding", AttentionRules::rotary);
        // recurrent: gates, elementwise cell updates per hidden unit
        m.put("LSTM", RecurrentRules.cell(4, 5));
        m.put("GRU", RecurrentRules.cell(3, 5));
        m.put("RNN", RecurrentRules.cell(1, 0));
        // pooling
        for (String op : new String[] {"MaxPool", "AveragePool", "LpPool"}) {
            m.put(op, PoolRules::window);
        }
        for (String op : new String[] {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}) {
            m.put(op, PoolRules::global);
        }
        m.put(MS + "QLinearAveragePool", PoolRules::window);
        m.put(MS + "QLinearGlobalAveragePool", PoolRules::global);
        // normalisation
        m.put("BatchNormalization", NormRules::batchNorm);
        m.put("LayerNormalization", NormRules::layerNorm);
        m.put("SimplifiedLayerNormalization", NormRules::layerNorm);
        m.put("RMSNormalization", NormRules::layerNorm);
        m.put("InstanceNormalization", NormRules::instanceNorm);
        m.put("GroupNormalization", NormRules::groupNorm);
        m.put("LpNormalization", NormRules::plain);
        m.put("LRN", NormRules::lrn);
        m.put("MeanVarianceNormalization", NormRules::plain);
        m.put(MS + "LayerNormalization", NormRules::layerNorm);
        m.put(MS + "SimplifiedLayerNormalization", NormRules::layerNorm);
        m.put(MS + "SkipLayerNormalization", c -> NormRules.skipLayerNorm(c, false));
        m.put(MS + "SkipSimplifiedLayerNormalization", c -> NormRules.skipLayerNorm(c, true));
        m.put(MS + "EmbedLayerNormalization", NormRules::embedLayerNorm);
        // softmax and reductions
        for (String op : new String[] {"Softmax", "LogSoftmax", "Hardmax"}) {
            m.put(op, ReduceRules::softmax);
        }
        for (String op : new String[] {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}) {
            m.put(op, ReduceRules::reduce);
        }
        m.put("ArgMax", ReduceRules::argReduce);
        m.put("ArgMin", ReduceRules::argReduce);
        m.put("TopK", ReduceRules::topK);
        m.put("CumSum", ReduceRules::cumSum);
        m.put("CumProd", ReduceRules::cumSum);
        elementwise(m);
        // shapes and data movement
        m.put("Shape", ShapeRules::shape);
        m.put("Size", ShapeRules::size);
        m.put("Reshape", ShapeRules::reshape);
        m.put("Flatten", ShapeRules::flatten);
        m.put("Squeeze", ShapeRules::squeeze);
        m.put("Unsqueeze", ShapeRules::unsqueeze);
        m.put("Transpose", ShapeRules::transpose);
        m.put("Expand", ShapeRules::expand);
        m.put("Tile", ShapeRules::tile);
        m.put("Concat", IndexRules::concat);
        m.put("Split", IndexRules::split);
        m.put("Slice", SliceRule::slice);
        m.put("Gather", IndexRules::gather);
        m.put("GatherElements", IndexRules::gatherElements);
        m.put("GatherND", IndexRules::gatherNd);
        for (String op : new String[] {"ScatterND", "ScatterElements", "Scatter", "Trilu", "ReverseSequence"}) {
            m.put(op, IndexRules::sameAsData);
        }
        m.put("Pad", IndexRules::pad);
        m.put("DepthToSpace", c -> IndexRules.depthToSpace(c, true));
        m.put("SpaceToDepth", c -> IndexRules.depthToSpace(c, false));
        m.put("OneHot", IndexRules::oneHot);
        m.put("NonZero", IndexRules::nonZero);
        m.put("Resize", ResizeRules::resize);
        // vision: sampling, regions, selection
        m.put("GridSample", VisionRules::gridSample);
        m.put("AffineGrid", VisionRules::affineGrid);
        m.put("RoiAlign", VisionRules::roiAlign);
        m.put("MaxRoiPool", VisionRules::maxRoiPool);
        m.put("MaxUnpool", VisionRules::maxUnpool);
        m.put("CenterCropPad", VisionRules::centerCropPad);
        m.put("NonMaxSuppression", VisionRules::nonMaxSuppression);
        m.put("Compress", VisionRules::compress);
        m.put("Unique", VisionRules::unique);
        m.put("Multinomial", VisionRules::multinomial);
        m.put("Det", VisionRules::det);
        m.put("Upsample", ResizeRules::resize);
        // tensor sources
        m.put("Constant", SourceRules::constant);
        m.put("ConstantOfShape", SourceRules::constantOfShape);
        m.put("Range", SourceRules::range);
        m.put("RandomNormal", SourceRules::random);
        m.put("RandomUniform", SourceRules::random);
        for (String op : new String[] {"RandomNormalLike", "RandomUniformLike", "EyeLike", "Bernoulli"}) {
            m.put(op, SourceRules::like);
        }
        // control flow
        m.put("If", ControlFlowRules::ifRule);
        m.put("Loop", ControlFlowRules::loop);
        m.put("Scan", ControlFlowRules::scan);
        // quantisation
        m.put("QuantizeLinear", QuantRules::quantize);
        m.put("DequantizeLinear", QuantRules::dequantize);
        m.put("DynamicQuantizeLinear", QuantRules::dynamicQuantize);
        m.put(MS + "QuantizeLinear", QuantRules::quantize);
        m.put(MS + "DequantizeLinear", QuantRules::dequantize);
        m.put(MS + "QLinearAdd", QuantRules::binary);
        m.put(MS + "QLinearMul", QuantRules::binary);
        m.put(MS + "QLinearSigmoid", QuantRules::unary);
        m.put(MS + "QLinearLeakyRelu", QuantRules::unary);
        m.put(MS + "QLinearSoftmax", QuantRules::unary);
        m.put(MS + "QLinearConcat", QuantRules::concat);
        MlRules.register(m);
        SequenceRules.register(m);
        return m;
    }

    /** Elementwise ops: other FLOPs per output element, and how values propagate. */
    private static void elementwise(Map<String, OpRule> m) {
        m.put("Identity", ElementwiseRules::identity);
        m.put("Dropout", ElementwiseRules::dropout);
        m.put("Cast", ElementwiseRules::cast);
        m.put("CastLike", ElementwiseRules::cast);
        m.put("Where", ElementwiseRules::where);
        m.put("Clip", ElementwiseRules::clip);
        // activations and math: one FLOP per element
        for (String op : new String[] {"Relu", "LeakyRelu", "Elu", "Selu", "Celu", "Sigmoid", "HardSigmoid",
            "HardSwish", "Tanh", "Softplus", "Softsign", "Gelu", "Mish", "ThresholdedRelu", "Shrink", "Exp", "Log",
            "Reciprocal", "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
            "Atanh", "Sign", "IsNaN", "IsInf", "BitwiseNot", "Swish"}) {
            m.put(op, ElementwiseRules.unary(1, null));
        }
        m.put("IsNaN", ElementwiseRules.predicate(1));
        m.put("IsInf", ElementwiseRules.predicate(1));
        m.put("PRelu", ElementwiseRules::prelu);
        m.put("Neg", ElementwiseRules.unary(1, Values::neg));
        m.put("Abs", ElementwiseRules.unary(1, Values::abs));
        m.put("Floor", ElementwiseRules.unary(1, v -> Values.rounding(v, Math::floor)));
        m.put("Ceil", ElementwiseRules.unary(1, v -> Values.rounding(v, Math::ceil)));
        m.put("Round", ElementwiseRules.unary(1, v -> Values.rounding(v, Math::rint)));
        m.put("Sqrt", ElementwiseRules.unary(1, Values::sqrt));
        m.put("Not", ElementwiseRules.unary(1, Values::not));
        m.put("Add", ElementwiseRules.nary(1, Values::add, null));
        m.put("Sub", ElementwiseRules.nary(1, Values::sub, null));
        m.put("Mul", ElementwiseRules.nary(1, Values::mul, null));
        m.put("Div", ElementwiseRules.nary(1, Values::div, null));
        m.put("Mod", ElementwiseRules.nary(1, Values::mod, null));
        m.put("Pow", ElementwiseRules.nary(1, Values::pow, null));
        m.put("Max", ElementwiseRules.nary(1, Values::max, null));
        m.put("Min", ElementwiseRules.nary(1, Values::min, null));
        m.put("Sum", ElementwiseRules.nary(1, Values::add, null));
        m.put("Mean", ElementwiseRules.nary(1, null, null));
        m.put("BitShift", ElementwiseRules.nary(1, null, null));
        for (String op : new String[] {"BitwiseAnd", "BitwiseOr", "BitwiseXor"}) {
            m.put(op, ElementwiseRules.nary(1, null, null));
        }
        m.put("Equal", ElementwiseRules.compare(c -> c == 0));
        m.put("Less", ElementwiseRules.compare(c -> c < 0));
        m.put("LessOrEqual", ElementwiseRules.compare(c -> c <= 0));
        m.put("Greater", ElementwiseRules.compare(c -> c > 0));
        m.put("GreaterOrEqual", ElementwiseRules.compare(c -> c >= 0));
        m.put("And", logical(Boolean::logicalAnd));
        m.put("Or", logical(Boolean::logicalOr));
        m.put("Xor", logical(Boolean::logicalXor));
        // com.microsoft fused activations: one FLOP per element per fused step
        m.put(MS + "Gelu", ElementwiseRules.unary(1, null));
        m.put(MS + "QuickGelu", ElementwiseRules.unary(1, null));
        m.put(MS + "FastGelu", c -> c.present(1) ? ElementwiseRules.nary(2, null, null).apply(c)
                : ElementwiseRules.unary(1, null).apply(c));
        m.put(MS + "BiasGelu", ElementwiseRules.nary(2, null, null));
        m.put(MS + "BiasAdd", ElementwiseRules.nary(1, null, null));
    }

    private static OpRule logical(BinaryOperator<Boolean> op) {
        return ElementwiseRules.nary(1, (a, b) -> Values.logical(a, b, op), DType.BOOL);
    }
}
