package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.onnx.proto.OnnxProto.ModelProto;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.OnnxBuilder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String ATTR = "\"><img src=x onerror=alert(2)>";

    @TempDir
    Path dir;

    /** A model whose node names, producer and metadata all try to inject markup. */
    private Report hostile() throws Exception {
        OnnxBuilder b = OnnxBuilder.create().input("x", 1, 8).output("y", 1, 4)
                .floatInit("w1", 8, 16).floatInit("w2", 16, 4)
                .node("MatMul", SCRIPT, new String[] {"x", "w1"}, "h")
                .node("MatMul", ATTR, new String[] {"h", "w2"}, "y");
        ModelProto m = b.model().toBuilder().setProducerName("</title><script>alert(3)</script>")
                .addMetadataProps(OnnxBuilder.entry("<b>key</b>", "<iframe src=\"https://evil.example\">")).build();
        Path file = dir.resolve("hostile.onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            m.writeTo(out);
        }
        return ModelTally.analyze(file, ModelTally.Options.DEFAULT);
    }

    static Document parse(String html) {
        return Jsoup.parse(html);
    }

    @Test
    void hostileNamesShowAsTextAndNothingRunsButOurScript() throws Exception {
        Report r = hostile();
        Document d = parse(HtmlReport.render(r));
        Elements names = d.select("#layer-table td.name");
        assertEquals(List.of(SCRIPT, ATTR), names.eachText());
        assertEquals(1, d.select("script").size(), "only our own script");
        assertEquals(Resource.SCRIPT.text(), d.selectFirst("script").data());
        assertTrue(d.select("img, iframe, b").isEmpty(), "no element made from model strings");
        for (Element e : d.getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertFalse(a.getKey().toLowerCase().startsWith("on"), "event handler " + a + " on " + e.tagName());
            }
        }
        assertTrue(d.select("svg title").eachText().stream().anyMatch(t -> t.startsWith(SCRIPT)), "tooltip as text");
        assertTrue(d.select(".meta").text().contains("</title><script>alert(3)</script>"));
        assertEquals("<iframe src=\"https://evil.example\">", d.select("table.metadata td").last().text());
        assertEquals("modeltally · hostile.onnx", d.title());
    }

    @Test
    void pageIsSelfContained() throws Exception {
        Document d = parse(HtmlReport.render(hostile()));
        for (Element e : d.select("[src], [href], [xlink:href], link, img, iframe, object, embed, base")) {
            String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            assertFalse(ref.startsWith("http:") || ref.startsWith("https:") || ref.startsWith("//"),
                    "external reference " + e);
        }
        assertTrue(d.select("link, img, iframe").isEmpty());
        String policy = d.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertTrue(policy.startsWith("default-src 'none'"), policy);
        assertTrue(policy.contains(sha256(d.selectFirst("style").data())), "style hash matches");
        assertTrue(policy.contains(sha256(d.selectFirst("script").data())), "script hash matches");
        assertTrue(d.select("[style]").isEmpty(), "no style attributes: the policy would block them");
    }

    private static String sha256(String s) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    }

    @Test
    void vgg16HeadlineTableAndCharts() throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("onnx/vgg16.onnx"), ModelTally.Options.DEFAULT);
        Document d = parse(HtmlReport.render(r));
        assertEquals("138,357,544", d.selectFirst("#headline .card.parameters .value").text());
        assertEquals("138,357,544", d.selectFirst("#headline .card.trainable .value").text());
        assertEquals("0", d.selectFirst("#headline .card.non-trainable .value").text());
        assertEquals("527.8 MiB", d.selectFirst("#headline .card.bytes .value").text());
        assertEquals("15.5 G", d.selectFirst("#compute .card.macs .value").text());
        assertEquals("15,470,264,320", d.selectFirst("#compute .card.macs .detail").text());
        assertEquals("30.9 G", d.selectFirst("#compute .card.flops .value").text());
        assertEquals("38 / 38", d.selectFirst("#compute .card.coverage .value").text());
        Elements rows = d.select("#layer-table tbody tr");
        assertEquals(38, rows.size(), "every node, since compute was estimated");
        Element gemm = rows.stream().filter(e -> e.selectFirst("td.name").text().equals("/classifier/classifier.0/Gemm"))
                .findFirst().orElseThrow();
        assertEquals("[1, 4096]", gemm.selectFirst("td.shape").text());
        assertEquals("102,764,544", gemm.select("td").get(4).text());
        assertEquals("74.3%", gemm.select("td").get(5).text());
        assertEquals("102,760,448", gemm.select("td").get(6).text());
        assertEquals(List.of("#", "name", "op", "output shape", "parameters", "share", "MACs", "MACs share"),
                d.select("#layer-table th").eachText());
        assertEquals(16, d.select("svg.bars.params g.bar").size(), "one bar per layer holding parameters");
        assertEquals(16, d.select("svg.bars.macs g.bar").size(), "one bar per layer with MACs");
        assertEquals("FLOAT", d.select("#dtypes tbody td").first().text());
        assertEquals(1, d.select("#findings tbody tr.sev-warning").size());
        assertEquals("external-data-missing", d.selectFirst("#findings td.code").text());
        assertEquals(List.of("input", "output"), d.select("#io td.kind").eachText());
        assertEquals("[1, 3, 224, 224]", d.selectFirst("#io td.shape").text());
    }

    @Test
    void computeNotEstimatedIsSaidNotZero() throws Exception {
        Report r = Reports.withCompute(ModelTally.analyze(Fixtures.path("onnx/vgg16.onnx"), ModelTally.Options.DEFAULT),
                null);
        Document d = parse(HtmlReport.render(r));
        assertEquals("not estimated", d.selectFirst("#compute .card.macs .value").text());
        assertEquals("not estimated", d.selectFirst("#compute .card.flops .value").text());
        Elements rows = d.select("#layer-table tbody tr");
        assertEquals(16, rows.size(), "without compute, the layers holding parameters");
        assertEquals("/classifier/classifier.0/Gemm", rows.get(13).selectFirst("td.name").text());
        assertEquals("102,764,544", rows.get(13).select("td").get(3).text());
        assertEquals(List.of("#", "name", "op", "parameters", "share"), d.select("#layer-table th").eachText());
        assertTrue(d.select("svg.bars.macs").isEmpty(), "no MACs chart without MACs");
    }

    @Test
    void computeFiguresWhenEstimated() throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("onnx/vgg16.onnx"), ModelTally.Options.DEFAULT);
        Compute c = new Compute(15_470_264_320L, 30_940_528_640L, 41_293_824L, List.of("input: batch=1"),
                new Compute.Coverage(38, 36, Map.of("CustomOp", 2)), List.of(), List.of(), List.of(), Map.of(), List.of());
        Document d = parse(HtmlReport.render(Reports.withCompute(r, c)));
        assertEquals("≥ 15.5 G", d.selectFirst("#compute .card.macs .value").text());
        assertEquals("at least 15,470,264,320", d.selectFirst("#compute .card.macs .detail").text());
        assertEquals("≥ 30.9 G", d.selectFirst("#compute .card.flops .value").text());
        assertEquals("36 / 38", d.selectFirst("#compute .card.coverage.partial .value").text());
        assertTrue(d.selectFirst("#compute .card.coverage .detail").text().contains("CustomOp ×2"));
        assertEquals("input: batch=1", d.selectFirst(".assumed code").text());
    }

    @Test
    void deepModelsChartBlocksButListEveryLayer() throws Exception {
        OnnxBuilder b = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4);
        String prev = "x";
        for (int layer = 0; layer < 30; layer++) {
            for (String part : List.of("attn", "mlp")) {
                String w = "w" + layer + part;
                b.floatInit(w, 4, 4).node("MatMul", "/model/layers." + layer + "/" + part + "/MatMul",
                        new String[] {prev, w}, w + "_out");
                prev = w + "_out";
            }
        }
        b.node("Identity", "out", new String[] {prev}, "y");
        Report r = ModelTally.analyze(b.write(dir.resolve("deep.onnx")), ModelTally.Options.DEFAULT);
        Document d = parse(HtmlReport.render(r));
        assertEquals(61, d.select("#layer-table tbody tr").size(), "60 MatMul and the Identity");
        Elements bars = d.select("svg.bars.params g.bar");
        assertEquals(60, bars.size(), "60 layers fit");

        for (int layer = 30; layer < 40; layer++) {
            String w = "w" + layer;
            b.floatInit(w, 4, 4).node("MatMul", "/model/layers." + layer + "/attn/MatMul", new String[] {prev, w},
                    w + "_out");
            prev = w + "_out";
        }
        r = ModelTally.analyze(b.write(dir.resolve("deeper.onnx")), ModelTally.Options.DEFAULT);
        d = parse(HtmlReport.render(r));
        assertEquals(71, d.select("#layer-table tbody tr").size());
        bars = d.select("svg.bars.params g.bar");
        assertEquals(40, bars.size(), "one bar per transformer layer");
        assertEquals("/model/layers.0", bars.first().selectFirst("text.label").text());
        assertTrue(bars.first().selectFirst("title").text().contains("2 layers"), bars.first().toString());
        assertTrue(d.selectFirst("#charts .caption").text().contains("70 layers in 40 blocks"));
    }

    @Test
    void hugeModelsListTheFirstRowsAndSaySo() throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("onnx/tiny_mlp.onnx"), ModelTally.Options.DEFAULT);
        List<NodeParams> many = new java.util.ArrayList<>();
        for (int i = 0; i < LayerSections.MAX_ROWS + 50; i++) {
            many.add(new NodeParams("/m/layers." + (i / 10) + "/op" + i, "MatMul", 1, List.of("w" + i)));
        }
        Document d = parse(HtmlReport.render(Reports.withCompute(Reports.withNodes(r, many), null)));
        assertEquals(LayerSections.MAX_ROWS, d.select("#layer-table tbody tr").size());
        assertTrue(d.select("#layers .caption").text().contains("The first 10,000 of 10,050 layers are listed"));
        assertTrue(d.select("svg.bars.params g.bar").size() <= LayerSections.MAX_BARS);
    }

    @Test
    void weightsOnlyAndFailedFiles() {
        Document failed = parse(HtmlReport.render(Report.failed("x/<bad>.onnx", "corrupt", "truncated <here>")));
        assertEquals("<bad>.onnx", failed.selectFirst("h1").text());
        assertEquals("corrupt: truncated <here>", failed.selectFirst(".error-box p").text());
        assertNotNull(failed.selectFirst("script"));
    }
}
