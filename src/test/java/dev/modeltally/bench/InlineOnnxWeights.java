package dev.modeltally.bench;

import com.google.protobuf.ByteString;
import dev.modeltally.format.onnx.proto.OnnxProto.GraphProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ModelProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Benchmark input maker: turns a layout-only ONNX fixture (initializers as external data whose file
 * is absent) into a full-size model with every initializer's bytes inline as raw_data
 * (pseudo-random). Usage: {@code InlineOnnxWeights IN.onnx OUT.onnx}.
 */
public final class InlineOnnxWeights {

    private InlineOnnxWeights() {
    }

    public static void main(String[] args) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            model = ModelProto.parseFrom(in);
        }
        GraphProto.Builder graph = model.getGraph().toBuilder();
        Random random = new Random(1);
        long total = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            int width = switch (t.getDataType()) {
                case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
                case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE -> 2;
                case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
                default -> 1;
            };
            byte[] bytes = new byte[Math.toIntExact(n * width)];
            random.nextBytes(bytes);
            total += bytes.length;
            graph.setInitializer(i, t.toBuilder().clearExternalData().clearDataLocation()
                    .setRawData(ByteString.copyFrom(bytes)));
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 20)) {
            model.toBuilder().setGraph(graph).build().writeTo(out);
        }
        System.out.printf("wrote %s: %,d bytes of weights inline%n", args[1], total);
    }
}
