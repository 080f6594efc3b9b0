package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlocksTest {

    private static long sum(List<Blocks.Bar> bars) {
        return bars.stream().mapToLong(Blocks.Bar::value).sum();
    }

    @Test
    void fewLayersStayLayers() {
        List<Blocks.Item> items = List.of(new Blocks.Item("a", 1), new Blocks.Item("b", 2));
        List<Blocks.Bar> bars = Blocks.of(items, 60);
        assertEquals(List.of("a", "b"), bars.stream().map(Blocks.Bar::label).toList());
    }

    @Test
    void transformerLayersGroupByLayerIndex() {
        List<Blocks.Item> items = new ArrayList<>();
        items.add(new Blocks.Item("/model/embed_tokens/Gather", 1000));
        for (int layer = 0; layer < 24; layer++) {
            for (String part : List.of("self_attn/q_proj", "self_attn/k_proj", "self_attn/v_proj", "self_attn/o_proj",
                    "mlp/up_proj", "mlp/down_proj")) {
                items.add(new Blocks.Item("/model/layers." + layer + "/" + part + "/MatMul", 10));
            }
        }
        items.add(new Blocks.Item("/lm_head/MatMul", 1000));
        // attention and MLP of each layer: 50 bars; with 32 layers that would be too many
        List<Blocks.Bar> bars = Blocks.of(items, 60);
        assertEquals(50, bars.size(), bars.toString());
        assertEquals("/model/layers.0/self_attn", bars.get(1).label());
        assertEquals(40, bars.get(1).value());
        assertEquals(4, bars.get(1).layers());
        assertEquals("/model/layers.0/mlp", bars.get(2).label());
        assertEquals(2000 + 24 * 60, sum(bars));
        List<Blocks.Bar> coarser = Blocks.of(items, 40);
        assertEquals(26, coarser.size(), coarser.toString());
        assertEquals("/model/layers.0", coarser.get(1).label());
        assertEquals(6, coarser.get(1).layers());
    }

    @Test
    void autoNumberedNamesFallBackToRunsInOrder() {
        List<Blocks.Item> items = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            items.add(new Blocks.Item("conv2d_" + i, 3));
            items.add(new Blocks.Item("batch_normalization_" + i, 1));
        }
        List<Blocks.Bar> bars = Blocks.of(items, 60);
        assertTrue(bars.size() <= 60, bars.size() + " bars");
        assertEquals(600, sum(bars));
        assertTrue(bars.get(0).label().startsWith("conv2d_1 … "), bars.get(0).label());
        assertTrue(bars.get(0).detail().startsWith("layers 1–"), bars.get(0).detail());
    }

    @Test
    void kerasBlockNamesGroupByBlock() {
        List<Blocks.Item> items = new ArrayList<>();
        for (int block = 1; block <= 5; block++) {
            for (int conv = 1; conv <= 20; conv++) {
                items.add(new Blocks.Item("block" + block + "_conv" + conv, 1));
            }
        }
        List<Blocks.Bar> bars = Blocks.of(items, 60);
        assertEquals(List.of("block1", "block2", "block3", "block4", "block5"),
                bars.stream().map(Blocks.Bar::label).toList());
    }

    @Test
    void prefixesEndAtATokenBoundary() {
        assertEquals("/features", Blocks.prefix("/features/features.0/Conv", 1, "/.:"));
        assertEquals("/features/features.0", Blocks.prefix("/features/features.0/Conv", 3, "/.:"));
        assertEquals("block1", Blocks.prefix("block1_conv1", 1, "/.:_-"));
        assertEquals("block1_conv1", Blocks.prefix("block1_conv1", 1, "/.:"));
        assertEquals("fc", Blocks.prefix("fc", 3, "/.:"));
    }
}
