package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Weight;
import java.util.List;

/**
 * ai.onnx.ml models: linear models, SVMs and tree ensembles, following the ai.onnx.ml schemas
 * (onnx/defs/traditionalml/defs.cc) and onnxruntime's output shapes: X is [N, C] (a vector [C] is
 * one sample); a classifier gives labels [N] and scores [N, E]. Their learned values are attributes
 * (counted as parameters by {@link MlAttributes}). No MACs: their arithmetic is other FLOPs —
 * linear: 2 per coefficient per sample (multiply, add; the intercept is the first add); SVM: per
 * sample 2·C + 1 per support vector (dot product or distance, then the kernel) plus 2 per coefficient;
 * trees: per sample one comparison per level of each tree (its depth); a post_transform other than
 * NONE adds 1 per score (SOFTMAX {@value ReduceRules#SOFTMAX}).
 */
final class MlRules {

    private MlRules() {
    }

    /** Every ai.onnx.ml rule, under {@code ai.onnx.ml:Op}. */
    static void register(java.util.Map<String, OpRule> m) {
        String d = MlAttributes.DOMAIN + ":";
        m.put(d + "LinearClassifier", MlRules::linearClassifier);
        m.put(d + "LinearRegressor", MlRules::linearRegressor);
        m.put(d + "SVMClassifier", MlRules::svmClassifier);
        m.put(d + "SVMRegressor", MlRules::svmRegressor);
        m.put(d + "TreeEnsembleClassifier", MlRules::treeClassifier);
        m.put(d + "TreeEnsembleRegressor", MlRules::treeRegressor);
        m.put(d + "TreeEnsemble", MlRules::treeEnsemble);
        m.put(d + "Scaler", MlTransformRules.elementwise(2, true));
        m.put(d + "Normalizer", MlTransformRules.elementwise(MlTransformRules.NORMALIZER, true));
        m.put(d + "Imputer", MlTransformRules.elementwise(1, false));
        m.put(d + "Binarizer", MlTransformRules.elementwise(1, false));
        m.put(d + "LabelEncoder", MlTransformRules::labelEncoder);
        m.put(d + "CategoryMapper", MlTransformRules::categoryMapper);
        m.put(d + "OneHotEncoder", MlTransformRules::oneHotEncoder);
        m.put(d + "ArrayFeatureExtractor", MlTransformRules::arrayFeatureExtractor);
        m.put(d + "ZipMap", MlTransformRules::zipMap);
        m.put(d + "CastMap", MlTransformRules::castMap);
        m.put(d + "DictVectorizer", MlTransformRules::dictVectorizer);
        m.put(d + "FeatureVectorizer", MlTransformRules::featureVectorizer);
    }

    /** N (samples) and C (features) of X. */
    private record Batch(Dim n, Count c) {
    }

    private static Batch batch(Tensor x) {
        if (x.rank() == 1) {
            return new Batch(Dim.of(1), Count.of(x.dim(0)));
        }
        if (x.rank() == 2) {
            return new Batch(x.dim(0), Count.of(x.dim(1)));
        }
        return new Batch(x.rank() > 2 ? x.dim(0) : Dim.UNKNOWN, Count.UNKNOWN);
    }

    /** Class labels of a classifier: their count and type (INT64 or STRING). */
    private static Count classCount(Attributes a) {
        for (String k : new String[] {"classlabels_ints", "classlabels_int64s", "classlabels_strings"}) {
            if (a.length(k) > 0) {
                return Count.of(a.length(k));
            }
        }
        return Count.UNKNOWN;
    }

    private static DType labelType(Attributes a) {
        return a.length("classlabels_strings") > 0 ? DType.STRING : DType.INT64;
    }

    private static Count postTransform(Attributes a, Count scores) {
        String p = a.getString("post_transform", "NONE");
        return p.equals("NONE") ? Count.ZERO : scores.times(p.equals("SOFTMAX") ? ReduceRules.SOFTMAX : 1);
    }

    private static OpResult classifier(OpContext c, Batch b, Count scores, Count work) {
        Shape labels = new Shape(List.of(b.n()));
        Shape z = new Shape(List.of(b.n(), scores.asDim()));
        Count n = Count.of(b.n());
        Count other = n.times(work).plus(postTransform(c.attrs(), n.times(scores)));
        return OpResult.builder().output(Tensor.of(labelType(c.attrs()), labels)).output(Tensor.of(DType.FLOAT, z))
                .macs(0).other(other).build();
    }

    static OpResult linearClassifier(OpContext c) {
        Batch b = batch(c.input(0));
        long coefficients = c.attrs().length("coefficients");
        return classifier(c, b, classCount(c.attrs()), Count.product(2, coefficients));
    }

    static OpResult linearRegressor(OpContext c) {
        Batch b = batch(c.input(0));
        long targets = c.attrs().getLong("targets", 1);
        Count n = Count.of(b.n());
        Count other = n.times(2, c.attrs().length("coefficients")).plus(postTransform(c.attrs(), n.times(targets)));
        return OpResult.builder().output(Tensor.of(DType.FLOAT, new Shape(List.of(b.n(), targets > 0 ? Dim.of(targets) : Dim.UNKNOWN))))
                .macs(0).other(other).build();
    }

    /** Support vectors, when C is known: their count; 0 for the linear form (no support vectors). */
    private static Count supportVectors(OpContext c, Count features) {
        long sv = c.attrs().length("support_vectors");
        if (sv == 0) {
            return Count.ZERO;
        }
        long f = features.orElse(0);
        return f > 0 && sv % f == 0 ? Count.of(sv / f) : Count.UNKNOWN;
    }

    private static Count svmWork(OpContext c, Count features) {
        Count sv = supportVectors(c, features);
        return sv.times(features.times(2).plus(1)).plus(Count.product(2, c.attrs().length("coefficients")));
    }

    /**
     * SVMClassifier scores as onnxruntime gives them: with support vectors and more than two classes,
     * one per pair of classes unless probabilities (prob_a) are asked for; otherwise one per class.
     */
    static OpResult svmClassifier(OpContext c) {
        Batch b = batch(c.input(0));
        Count k = classCount(c.attrs());
        long classes = k.orElse(0);
        boolean pairs = c.attrs().length("support_vectors") > 0 && classes > 2 && c.attrs().length("prob_a") == 0;
        Count scores = pairs ? Count.of(classes * (classes - 1) / 2) : k;
        return classifier(c, b, scores, svmWork(c, b.c()));
    }

    static OpResult svmRegressor(OpContext c) {
        Batch b = batch(c.input(0));
        Count n = Count.of(b.n());
        Count other = n.times(svmWork(c, b.c())).plus(postTransform(c.attrs(), n));
        return OpResult.builder().output(Tensor.of(DType.FLOAT, new Shape(List.of(b.n(), Dim.of(1)))))
                .macs(0).other(other).build();
    }

    private static Count sum(long[] xs) {
        if (xs == null) {
            return Count.UNKNOWN;
        }
        Count s = Count.ZERO;
        for (long x : xs) {
            s = s.plus(x);
        }
        return s;
    }

    static OpResult treeClassifier(OpContext c) {
        Batch b = batch(c.input(0));
        return classifier(c, b, classCount(c.attrs()), sum(MlAttributes.classicTreeDepths(c.attrs())));
    }

    static OpResult treeRegressor(OpContext c) {
        Batch b = batch(c.input(0));
        long targets = c.attrs().getLong("n_targets", 1);
        Count n = Count.of(b.n());
        Count other = n.times(sum(MlAttributes.classicTreeDepths(c.attrs())))
                .plus(postTransform(c.attrs(), n.times(targets)));
        return OpResult.builder().output(Tensor.of(DType.FLOAT, new Shape(List.of(b.n(), targets > 0 ? Dim.of(targets) : Dim.UNKNOWN))))
                .macs(0).other(other).build();
    }

    /** TreeEnsemble (ai.onnx.ml 5): Y [N, n_targets], of X's type (the split and leaf tensors' type). */
    static OpResult treeEnsemble(OpContext c) {
        Tensor x = c.input(0);
        Batch b = batch(x);
        long targets = c.attrs().getLong("n_targets", -1);
        DType t = x.dtype();
        if (t == DType.UNDEFINED && c.attrs().values().get("leaf_weights") instanceof Weight w) {
            t = w.dtype();
        }
        Count n = Count.of(b.n());
        Count other = n.times(sum(MlAttributes.treeEnsembleDepths(c.attrs())));
        long transform = c.attrs().getLong("post_transform", 0); // 0 NONE, 1 SOFTMAX, 2 SOFTMAX_ZERO, 3, 4
        Count post = transform == 0 ? Count.ZERO : n.times(transform <= 2 ? ReduceRules.SOFTMAX : 1, targets);
        return OpResult.builder().output(Tensor.of(t, new Shape(List.of(b.n(),
                targets > 0 ? Dim.of(targets) : Dim.UNKNOWN)))).macs(0).other(other.plus(post)).build();
    }
}
