package dev.modeltally.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.KerasWeight;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Keras layer table: well formed, every family implemented, every public Keras 3 class listed. */
class KerasLayerTableTest {

    /** {@code dir(keras.layers)} of Keras 3.15, classes only. */
    private static final List<String> KERAS_3_15 = List.of("Activation","ActivityRegularization","AdaptiveAveragePooling1D","AdaptiveAveragePooling2D","AdaptiveAveragePooling3D","AdaptiveMaxPooling1D","AdaptiveMaxPooling2D","AdaptiveMaxPooling3D","Add","AdditiveAttention","AlphaDropout","Attention","AugMix","AutoContrast","Average","AveragePooling1D","AveragePooling2D","AveragePooling3D","AvgPool1D","AvgPool2D","AvgPool3D","BatchNormalization","Bidirectional","CategoryEncoding","CenterCrop","Concatenate","ContrastLimitedAdaptiveHistogramEqualization","Conv1D","Conv1DTranspose","Conv2D","Conv2DTranspose","Conv3D","Conv3DTranspose","ConvLSTM1D","ConvLSTM2D","ConvLSTM3D","Convolution1D","Convolution1DTranspose","Convolution2D","Convolution2DTranspose","Convolution3D","Convolution3DTranspose","Cropping1D","Cropping2D","Cropping3D","CutMix","Dense","DepthwiseConv1D","DepthwiseConv2D","Discretization","Dot","Dropout","ELU","EinsumDense","Embedding","Equalization","Flatten","FlaxLayer","GRU","GRUCell","GaussianDropout","GaussianNoise","GlobalAveragePooling1D","GlobalAveragePooling2D","GlobalAveragePooling3D","GlobalAvgPool1D","GlobalAvgPool2D","GlobalAvgPool3D","GlobalMaxPool1D","GlobalMaxPool2D","GlobalMaxPool3D","GlobalMaxPooling1D","GlobalMaxPooling2D","GlobalMaxPooling3D","GroupNormalization","GroupQueryAttention","HashedCrossing","Hashing","Identity","Input","InputLayer","InputSpec","IntegerLookup","JaxLayer","LSTM","LSTMCell","Lambda","Layer","LayerNormalization","LeakyReLU","Masking","MaxNumBoundingBoxes","MaxPool1D","MaxPool2D","MaxPool3D","MaxPooling1D","MaxPooling2D","MaxPooling3D","Maximum","MelSpectrogram","Minimum","MixUp","MultiHeadAttention","Multiply","Normalization","PReLU","Permute","Pipeline","RMSNormalization","RNN","RandAugment","RandomBrightness","RandomColorDegeneration","RandomColorJitter","RandomContrast","RandomCrop","RandomElasticTransform","RandomErasing","RandomFlip","RandomGaussianBlur","RandomGrayscale","RandomHue","RandomInvert","RandomPerspective","RandomPosterization","RandomRotation","RandomSaturation","RandomSharpness","RandomShear","RandomTranslation","RandomZoom","ReLU","RepeatVector","Rescaling","Reshape","Resizing","ReversibleEmbedding","STFTSpectrogram","SeparableConv1D","SeparableConv2D","SeparableConvolution1D","SeparableConvolution2D","SimpleRNN","SimpleRNNCell","Softmax","Solarization","SpatialDropout1D","SpatialDropout2D","SpatialDropout3D","SpectralNormalization","StackedRNNCells","StringLookup","Subtract","TFSMLayer","TextVectorization","TimeDistributed","TorchModuleWrapper","UnitNormalization","UpSampling1D","UpSampling2D","UpSampling3D","Wrapper","ZeroPadding1D","ZeroPadding2D","ZeroPadding3D");

    @Test
    void everyPublicKerasClassIsARow() {
        Set<String> missing = new TreeSet<>();
        for (String c : KERAS_3_15) {
            if (!KerasLayerTable.isBuiltin(c)) {
                missing.add(c);
            }
        }
        assertTrue(missing.isEmpty(), "keras.layers classes not in keras-layers.txt: " + missing);
    }

    @Test
    void everyFamilyHasARuleAndNamesAreUnique() {
        Set<String> names = new HashSet<>();
        for (KerasLayer row : KerasLayerTable.rows()) {
            assertTrue(names.add(row.className()), "two rows for " + row.className());
            row.aliases().forEach(a -> assertTrue(names.add(a), "alias " + a + " twice"));
            if (row.hasRule() && !Set.of("input", "nested", "rnn_cell").contains(row.family())) {
                assertNotNull(KerasFamilies.get(row.family()), row.className() + ": family " + row.family());
                assertNotNull(OpRegistry.find(KerasLayerTable.DOMAIN, row.className()), row.className());
            }
            for (KerasWeight w : row.weights()) {
                assertTrue(!w.roles().get(0).isEmpty(), row.className());
            }
        }
        assertNotNull(OpRegistry.find("keras", "GroupedQueryAttention"), "Keras 2 name");
        assertNotNull(OpRegistry.find("keras", "Convolution2D"), "Keras 2 name");
    }

    @Test
    void conditionsAndDefaults() {
        KerasLayer bn = KerasLayerTable.find("BatchNormalization");
        assertEquals(List.of("beta", "moving_mean", "moving_variance"),
                bn.ownWeights(Map.of("scale", false)).stream().map(KerasWeight::role).toList());
        assertTrue(!bn.weight("moving_mean").trainable());
        KerasLayer gru = KerasLayerTable.find("GRU");
        assertEquals(List.of("2", "3*units"), gru.ownWeights(Map.of()).get(2).dims(), "reset_after by default");
        assertEquals(List.of("3*units"), gru.ownWeights(Map.of("reset_after", false)).get(2).dims());
        KerasLayer sn = KerasLayerTable.find("SpectralNormalization");
        assertTrue(sn.weight("kernel").alias());
        assertTrue(!sn.weight("vector_u").trainable());
        assertEquals(8, KerasLayerTable.find("MultiHeadAttention").attr(Map.of("key_dim", 8), "value_dim"));
    }
}
