package dev.modeltally.spark;

import com.google.protobuf.CodedOutputStream;
import dev.modeltally.format.onnx.proto.OnnxProto.GraphProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ModelProto;
import dev.modeltally.format.onnx.proto.OnnxProto.NodeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorShapeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TypeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a large ONNX file with inline weights without holding it in memory: {@code Y = X·W + B}
 * with W [rows, cols] float stored as one raw_data field of rows × cols × 4 bytes (zeros), streamed.
 * The small parts are built with the ONNX protobuf classes; the big tensor's bytes are framed by hand
 * (a field's length must be known before it, and every length here is computable).
 */
final class BigOnnx {

    final long rows;
    final long cols;

    BigOnnx(long rows, long cols) {
        this.rows = rows;
        this.cols = cols;
    }

    long parameters() {
        return rows * cols + cols;
    }

    /** At batch 1: the MatMul's multiply-accumulates (the Add is other FLOPs). */
    long macs() {
        return rows * cols;
    }

    void write(OutputStream sink) throws IOException {
        GraphProto small = GraphProto.newBuilder()
                .setName("big")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("X").addInput("W")
                        .addOutput("XW"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("XW").addInput("B")
                        .addOutput("Y"))
                .addInput(value("X", 1, rows))
                .addOutput(value("Y", 1, cols))
                .addInitializer(TensorProto.newBuilder().setName("B").setDataType(1).addDims(cols)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[(int) (cols * 4)])))
                .build();
        TensorProto head = TensorProto.newBuilder().setName("W").setDataType(1).addDims(rows).addDims(cols).build();
        long raw = rows * cols * 4;
        long tensorLength = head.getSerializedSize() + CodedOutputStream.computeTagSize(TensorProto.RAW_DATA_FIELD_NUMBER)
                + CodedOutputStream.computeUInt64SizeNoTag(raw) + raw;
        long graphLength = small.getSerializedSize() + CodedOutputStream.computeTagSize(GraphProto.INITIALIZER_FIELD_NUMBER)
                + CodedOutputStream.computeUInt64SizeNoTag(tensorLength) + tensorLength;
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("modeltally-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();

        CodedOutputStream out = CodedOutputStream.newInstance(sink, 1 << 16);
        model.writeTo(out);
        out.writeTag(ModelProto.GRAPH_FIELD_NUMBER, 2);
        out.writeUInt64NoTag(graphLength);
        small.writeTo(out);
        out.writeTag(GraphProto.INITIALIZER_FIELD_NUMBER, 2);
        out.writeUInt64NoTag(tensorLength);
        head.writeTo(out);
        out.writeTag(TensorProto.RAW_DATA_FIELD_NUMBER, 2);
        out.writeUInt64NoTag(raw);
        out.flush();
        byte[] zeros = new byte[1 << 20];
        for (long left = raw; left > 0; left -= zeros.length) {
            sink.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
        sink.flush();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }
}
