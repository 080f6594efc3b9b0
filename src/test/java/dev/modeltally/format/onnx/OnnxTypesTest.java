package dev.modeltally.format.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorShapeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TypeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ValueInfoProto;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OnnxTypes decodes ValueInfoProto, OperatorSetIdProto and StringStringEntryProto from the wire; the
 * generated classes (full runtime) are the reference for what a parse means.
 */
class OnnxTypesTest {

    /** The reference: the generated parser, then the conversion rules OnnxTypes states. */
    private static Value reference(byte[] bytes) throws InvalidProtocolBufferException {
        ValueInfoProto vi = ValueInfoProto.parseFrom(bytes);
        TypeProto type = vi.getType();
        boolean tensor = type.hasTensorType();
        boolean sparse = type.hasSparseTensorType();
        if (!tensor && !sparse) {
            return new Value(vi.getName(), DType.UNDEFINED, Shape.unknownRank());
        }
        int elem = tensor ? type.getTensorType().getElemType() : type.getSparseTensorType().getElemType();
        boolean hasShape = tensor ? type.getTensorType().hasShape() : type.getSparseTensorType().hasShape();
        if (!hasShape) {
            return new Value(vi.getName(), DType.fromCode(elem), Shape.unknownRank());
        }
        TensorShapeProto shape = tensor ? type.getTensorType().getShape() : type.getSparseTensorType().getShape();
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims.add(Dim.symbol(d.getDimParam()));
            } else {
                dims.add(Dim.UNKNOWN);
            }
        }
        return new Value(vi.getName(), DType.fromCode(elem), new Shape(dims));
    }

    private static void same(byte[] bytes) throws Exception {
        assertEquals(reference(bytes), OnnxTypes.value(bytes, Limits.DEFAULT));
    }

    private static TensorShapeProto.Dimension dim(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static TensorShapeProto.Dimension dim(String p) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(p).setDenotation("DATA_BATCH").build();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void tensorSparseOtherAndMissingTypes() throws Exception {
        TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(dim(1)).addDim(dim("batch"))
                .addDim(dim(-3)).addDim(TensorShapeProto.Dimension.newBuilder()).addDim(dim("")).build();
        same(ValueInfoProto.newBuilder().setName("x").setDocString("doc").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build().toByteArray());
        same(ValueInfoProto.newBuilder().setName("s").setType(TypeProto.newBuilder().setSparseTensorType(
                TypeProto.SparseTensor.newBuilder().setElemType(10).setShape(shape))).build().toByteArray());
        same(ValueInfoProto.newBuilder().setName("no shape").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(7))).build().toByteArray());
        same(ValueInfoProto.newBuilder().setName("scalar").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.getDefaultInstance())))
                .build().toByteArray());
        same(ValueInfoProto.newBuilder().setName("seq").setType(TypeProto.newBuilder().setSequenceType(
                TypeProto.Sequence.getDefaultInstance())).build().toByteArray());
        same(ValueInfoProto.newBuilder().setName("untyped").build().toByteArray());
        same(new byte[0]);
    }

    @Test
    void repeatedFieldsMergeAndTheLastOneofWins() throws Exception {
        byte[] a = ValueInfoProto.newBuilder().setName("first").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(dim(2)))))
                .build().toByteArray();
        byte[] b = ValueInfoProto.newBuilder().setName("second").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setShape(TensorShapeProto.newBuilder().addDim(dim("n")))))
                .build().toByteArray();
        byte[] seq = ValueInfoProto.newBuilder().setType(TypeProto.newBuilder().setSequenceType(
                TypeProto.Sequence.getDefaultInstance())).build().toByteArray();
        byte[] sparse = ValueInfoProto.newBuilder().setType(TypeProto.newBuilder().setSparseTensorType(
                TypeProto.SparseTensor.newBuilder().setElemType(3))).build().toByteArray();
        same(concat(a, b));
        same(concat(a, seq));
        same(concat(a, sparse));
        same(concat(sparse, a, b));
        // A oneof member seen again after another one starts afresh, as the protobuf encoding spec says
        // ("only the last member seen is used"); the generated Java parser keeps the first one's builder.
        assertEquals(new Value("second", DType.UNDEFINED, new Shape(List.of(Dim.symbol("n")))),
                OnnxTypes.value(concat(a, seq, b), Limits.DEFAULT));
        // a dimension given both ways: the last one wins
        byte[] both = concat(dim(5).toByteArray(), dim("late").toByteArray());
        byte[] bothReversed = concat(dim("early").toByteArray(), dim(6).toByteArray());
        for (byte[] d : new byte[][] {both, bothReversed}) {
            TensorShapeProto parsed = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.parseFrom(d)).build();
            same(ValueInfoProto.newBuilder().setName("d").setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(1).setShape(parsed))).build().toByteArray());
        }
    }

    @Test
    void unknownFieldsAndWrongWireTypesAreSkipped() throws Exception {
        ValueInfoProto vi = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(dim(4)))))
                .build();
        // field 99 varint, field 2 (type) as a varint, field 1 (name) as a fixed32
        byte[] junk = {(byte) 0x98, 0x06, 0x01, 0x10, 0x05, 0x0d, 1, 2, 3, 4};
        same(concat(vi.toByteArray(), junk));
        same(concat(junk, vi.toByteArray()));
    }

    @Test
    void truncatedInputFailsAsTheGeneratedParserDoes() {
        byte[] full = ValueInfoProto.newBuilder().setName("abc").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(dim(4)))))
                .build().toByteArray();
        for (int cut = 1; cut < full.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            boolean referenceFails;
            try {
                reference(part);
                referenceFails = false;
            } catch (InvalidProtocolBufferException e) {
                referenceFails = true;
            }
            if (referenceFails) {
                assertThrows(InvalidProtocolBufferException.class, () -> OnnxTypes.value(part, Limits.DEFAULT),
                        "cut at " + cut);
            } else {
                try {
                    same(part);
                } catch (Exception e) {
                    throw new AssertionError("cut at " + cut, e);
                }
            }
        }
    }

    @Test
    void rankLimitCountsEveryDim() {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < 70; i++) {
            shape.addDim(dim(1));
        }
        byte[] bytes = ValueInfoProto.newBuilder().setName("deep").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build().toByteArray();
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> OnnxTypes.value(bytes, Limits.DEFAULT));
        assertEquals("rank of 'deep' 70 exceeds the limit 64 (raise it with --max-rank)", e.getMessage());
    }

    @Test
    void operatorSetsAndStringEntries() throws Exception {
        byte[] op = OnnxProto.OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1).build()
                .toByteArray();
        assertEquals(new OnnxTypes.Pair("com.microsoft", 1, ""), OnnxTypes.operatorSet(op));
        assertEquals(new OnnxTypes.Pair("", 17, ""), OnnxTypes.operatorSet(
                OnnxProto.OperatorSetIdProto.newBuilder().setVersion(17).build().toByteArray()));
        byte[] entry = OnnxProto.StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin").build()
                .toByteArray();
        assertEquals(new OnnxTypes.Pair("location", 0, "w.bin"), OnnxTypes.stringEntry(entry));
        byte[] twice = concat(entry, OnnxProto.StringStringEntryProto.newBuilder().setValue("v2").build()
                .toByteArray());
        OnnxProto.StringStringEntryProto ref = OnnxProto.StringStringEntryProto.parseFrom(twice);
        assertEquals(new OnnxTypes.Pair(ref.getKey(), 0, ref.getValue()), OnnxTypes.stringEntry(twice));
        byte[] utf8 = OnnxProto.StringStringEntryProto.newBuilder().setKeyBytes(ByteString.copyFrom(
                new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff})).build().toByteArray();
        assertEquals(OnnxProto.StringStringEntryProto.parseFrom(utf8).getKey(), OnnxTypes.stringEntry(utf8).first());
    }
}
