package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Likely reasons for a count that differs from a published one, on real torchvision exports. */
class ExplanationsTest {

    @TempDir
    Path dir;

    private Path unzip(String name) throws Exception {
        return Fixtures.gunzip("compute/torchvision/" + name + ".gz", dir);
    }

    @Test
    void inceptionV3WithoutItsAuxiliaryHead() throws Exception {
        Report r = ModelTally.analyze(unzip("inception_v3.onnx"), ModelTally.Options.DEFAULT);
        List<String> why = Explanations.forParameters(r, 27_161_264, r.parameters().total());
        assertTrue(why.stream().anyMatch(s -> s.contains("auxiliary classifier head(s) AuxLogits")
                && s.contains("3,326,696")), why.toString());
        assertTrue(why.stream().anyMatch(s -> s.contains("BatchNormalization was folded")), why.toString());
        // a count that is not below the published one has no such reason
        assertTrue(Explanations.forParameters(r, r.parameters().total() - 1, r.parameters().total()).stream()
                .noneMatch(s -> s.contains("auxiliary")));
    }

    @Test
    void googLeNetWithoutBothAuxiliaryHeadsInVerify() throws Exception {
        Path g = unzip("googlenet.onnx");
        Cli v = Cli.run("verify", g.toString(), "--params", "13,004,888");
        assertEquals(1, v.exitCode(), v.out() + v.err());
        assertTrue(v.out().contains("aux1, aux2"), v.out());
        assertTrue(v.out().contains("6,379,984"), v.out());
    }

    @Test
    void otherModelsHaveNoAuxiliaryReason() throws Exception {
        Report r = ModelTally.analyze(unzip("resnet50.onnx"), ModelTally.Options.DEFAULT);
        assertTrue(Explanations.forParameters(r, 25_557_032, r.parameters().total()).stream()
                .noneMatch(s -> s.contains("auxiliary")));
    }
}
