package dev.modeltally.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.modeltally.format.onnx.proto.OnnxProto;
import dev.modeltally.format.onnx.proto.OnnxProto.GraphProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ModelProto;
import dev.modeltally.format.onnx.proto.OnnxProto.NodeProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Builds small ONNX models in tests with the generated protobuf classes. */
public final class OnnxBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("g");

    public static OnnxBuilder create() {
        return new OnnxBuilder();
    }

    public OnnxBuilder input(String name, long... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return this;
    }

    public OnnxBuilder output(String name, long... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return this;
    }

    public static OnnxProto.ValueInfoProto valueInfo(String name, int elemType, long... dims) {
        OnnxProto.TensorShapeProto.Builder shape = OnnxProto.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxProto.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxProto.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxProto.TypeProto.newBuilder().setTensorType(
                        OnnxProto.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    /** A FLOAT initializer with raw_data of the right size (zeros). */
    public OnnxBuilder floatInit(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        graph.addInitializer(tensor(name, TensorProto.DataType.FLOAT_VALUE, dims)
                .setRawData(ByteString.copyFrom(new byte[(int) (n * 4)])));
        return this;
    }

    /** An initializer stored as external data at {@code location}. */
    public OnnxBuilder externalInit(String name, String location, long offset, long length, long... dims) {
        TensorProto.Builder t = tensor(name, TensorProto.DataType.FLOAT_VALUE, dims)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)));
        if (length >= 0) {
            t.addExternalData(entry("length", Long.toString(length)));
        }
        graph.addInitializer(t);
        return this;
    }

    public OnnxBuilder initializer(TensorProto.Builder t) {
        graph.addInitializer(t);
        return this;
    }

    public OnnxBuilder node(String op, String name, String[] inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        graph.addNode(n);
        return this;
    }

    public OnnxBuilder node(NodeProto.Builder n) {
        graph.addNode(n);
        return this;
    }

    public GraphProto.Builder graph() {
        return graph;
    }

    public static TensorProto.Builder tensor(String name, int dtype, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dtype);
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    public static OnnxProto.StringStringEntryProto entry(String k, String v) {
        return OnnxProto.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    public ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("modeltally-tests").setProducerVersion("1")
                .addOpsetImport(OnnxProto.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            model().writeTo(out);
        }
        return file;
    }

    /**
     * Writes a model with one FLOAT initializer {@code name} of {@code elements} elements whose
     * raw_data is {@code elements * 4} bytes, written as a hole (sparse file) or, when {@code fill}
     * is set, as pseudo-random bytes. The rest of the graph is this builder's.
     */
    public Path writeWithLargeInitializer(Path file, String name, long elements, boolean fill) throws IOException {
        long dataBytes = elements * 4;
        TensorProto header = tensor(name, TensorProto.DataType.FLOAT_VALUE, elements).build();
        long tensorLen = header.getSerializedSize() + CodedOutputStream.computeTagSize(9)
                + CodedOutputStream.computeUInt64SizeNoTag(dataBytes) + dataBytes;
        byte[] graphPrefix = graph.build().toByteArray();
        long graphLen = graphPrefix.length + CodedOutputStream.computeTagSize(5)
                + CodedOutputStream.computeUInt64SizeNoTag(tensorLen) + tensorLen;
        ModelProto head = ModelProto.newBuilder().setIrVersion(8).setProducerName("modeltally-bench")
                .addOpsetImport(OnnxProto.OperatorSetIdProto.newBuilder().setVersion(17)).build();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.io.ByteArrayOutputStream prefix = new java.io.ByteArrayOutputStream();
            CodedOutputStream c = CodedOutputStream.newInstance(prefix);
            head.writeTo(c);
            c.writeTag(7, 2);
            c.writeUInt64NoTag(graphLen);
            c.writeRawBytes(graphPrefix);
            c.writeTag(5, 2);
            c.writeUInt64NoTag(tensorLen);
            header.writeTo(c);
            c.writeTag(9, 2);
            c.writeUInt64NoTag(dataBytes);
            c.flush();
            ch.write(ByteBuffer.wrap(prefix.toByteArray()));
            if (fill) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                java.util.Random random = new java.util.Random(42);
                long left = dataBytes;
                while (left > 0) {
                    random.nextBytes(chunk.array());
                    chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                    left -= ch.write(chunk);
                }
            } else if (dataBytes > 0) {
                // leave a hole: the file system stores nothing for it
                ch.write(ByteBuffer.wrap(new byte[1]), prefix.size() + dataBytes - 1);
            }
        }
        return file;
    }
}
