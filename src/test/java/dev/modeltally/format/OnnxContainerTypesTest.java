package dev.modeltally.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TypeProto;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Model;
import dev.modeltally.testing.OnnxBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence, map and optional TypeProtos, and long float attributes read as their length only. */
class OnnxContainerTypesTest {

    @TempDir
    Path dir;

    private static TypeProto tensor(int elem) {
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem)).build();
    }

    @Test
    void containersAndLongFloatListsAreRead() throws Exception {
        TypeProto seqMap = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(
                TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder().setKeyType(7).setValueType(tensor(1)))))
                .build();
        TypeProto optional = TypeProto.newBuilder().setOptionalType(TypeProto.Optional.newBuilder()
                .setElemType(tensor(1))).build();
        OnnxProto.AttributeProto.Builder coefficients = OnnxProto.AttributeProto.newBuilder().setName("coefficients")
                .setType(OnnxProto.AttributeProto.AttributeType.FLOATS);
        for (int i = 0; i < 20_000; i++) {
            coefficients.addFloats(0.5f);
        }
        OnnxBuilder b = OnnxBuilder.create().input("x", 1, 10_000);
        b.graph().addOutput(OnnxProto.ValueInfoProto.newBuilder().setName("probs").setType(seqMap))
                .addOutput(OnnxProto.ValueInfoProto.newBuilder().setName("maybe").setType(optional));
        b.node(OnnxProto.NodeProto.newBuilder().setOpType("LinearClassifier").setDomain("ai.onnx.ml").setName("lc")
                .addInput("x").addOutput("label").addOutput("scores").addAttribute(coefficients)
                .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("intercepts").addFloats(0).addFloats(1))
                .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("classlabels_ints").addInts(0).addInts(1)));
        b.node(OnnxProto.NodeProto.newBuilder().setOpType("ZipMap").setDomain("ai.onnx.ml").setName("zip")
                .addInput("scores").addOutput("probs")
                .addAttribute(OnnxProto.AttributeProto.newBuilder().setName("classlabels_int64s").addInts(0).addInts(1)));
        Path file = b.write(dir.resolve("m.onnx"));
        Model m = ModelTally.read(file, Limits.DEFAULT);
        assertEquals("seq(map(int64, float))", m.graph().outputs().get(0).typeName());
        assertEquals("optional(float)", m.graph().outputs().get(1).typeName());
        Object kept = m.graph().nodes().get(0).attrs().values().get("coefficients");
        assertEquals(new Attributes.Elements(20_000), kept, "a long float list is kept as its length");
        Report r = ModelTally.analyze(file, ModelTally.Options.DEFAULT);
        assertEquals(20_002, r.parameters().total());
        assertEquals("seq(map(int64, float))", r.compute().outputs().get(0).typeName());
        assertTrue(r.compute().outputs().get(0).shape().isFullyKnown(), "length 1");
    }
}
