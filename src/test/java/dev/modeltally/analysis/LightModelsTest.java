package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modeltally.ModelTally;
import dev.modeltally.ir.Finding;
import dev.modeltally.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The onnx package's "light" models make every weight with ConstantOfShape: the synthesized total is
 * the sum of every ConstantOfShape's shape product in the file (each feeds a weight input; counted
 * with the onnx library), which for AlexNet is BVLC AlexNet's published 60,965,224 — Gemm biases and
 * the per-channel affine operands reached through Unsqueeze included.
 */
class LightModelsTest {

    @ParameterizedTest
    @CsvSource({
        "light_bvlc_alexnet, 60965224, 16, 0",
        "light_densenet121, 8145384, 836, 768",
        "light_inception_v1, 6997480, 93, 1072",
        "light_inception_v2, 11229992, 407, 4800",
        "light_resnet50, 25608360, 239, 1793",
        "light_shufflenet, 1420032, 243, 120",
        "light_squeezenet, 1234856, 39, 640",
        "light_vgg19, 143667112, 36, 128",
        "light_zfnet512, 87250536, 16, 1"})
    void synthesizedTotalsAreExactAndOneFinding(String name, long elements, int tensors, long stored) throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("compute/" + name + ".onnx"), ModelTally.Options.DEFAULT);
        assertEquals(elements, r.parameters().synthesized().elements());
        assertEquals(tensors, r.parameters().synthesized().tensors());
        assertEquals(stored, r.parameters().total());
        List<Finding> f = r.findings().stream().filter(x -> x.code().equals("synthesized-weight")).toList();
        assertEquals(1, f.size(), "one finding, not one per tensor");
    }
}
