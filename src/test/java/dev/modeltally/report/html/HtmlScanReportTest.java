package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

class HtmlScanReportTest {

    private static Report analyze(String fixture) {
        return ModelTally.analyzeOrError(Fixtures.path(fixture), ModelTally.Options.DEFAULT);
    }

    @Test
    void everyFileIsARowWithErrorsAndFindingsMarked() {
        HtmlScanReport page = new HtmlScanReport();
        Report vgg = Reports.withCompute(analyze("onnx/vgg16.onnx"), null);
        Report mlp = analyze("onnx/tiny_mlp.onnx");
        page.add(vgg);
        page.add(Reports.withCompute(mlp, new Compute(1000, 2000, 10, List.of(), new Compute.Coverage(3, 3, Map.of()),
                List.of(), List.of(), List.of(), Map.of(), List.of())));
        page.add(Report.failed("zoo/<img src=x onerror=alert(1)>.onnx", "corrupt", "bad <tag> at byte 7"));
        Document d = Jsoup.parse(page.render());

        Elements rows = d.select("#file-table tbody tr");
        assertEquals(3, rows.size());
        assertEquals("zoo/<img src=x onerror=alert(1)>.onnx", rows.get(2).selectFirst("td.name").text());
        assertTrue(d.select("img").isEmpty());
        assertTrue(rows.get(2).hasClass("unreadable"));
        assertEquals("corrupt: bad <tag> at byte 7", rows.get(2).selectFirst("td.error").text());
        assertTrue(rows.get(0).hasClass("sev-warning"), rows.get(0).className());
        assertEquals("138,357,544", rows.get(0).select("td").get(2).text());
        assertEquals("not estimated", rows.get(0).select("td").get(6).text());
        assertEquals("2,000", rows.get(1).select("td").get(6).text());
        assertTrue(rows.get(0).selectFirst("td.findings").text().contains("external-data-missing"));

        assertEquals("3", d.selectFirst("#headline .card.files .value").text());
        assertEquals("1", d.selectFirst("#headline .card.unreadable.bad .value").text());
        assertEquals("1 of 2 files estimated", d.selectFirst("#headline .card.flops .detail").text());
        Elements formats = d.select("#format-table tbody tr");
        assertEquals(List.of("onnx", "unreadable"), formats.stream().map(r -> r.child(0).text()).toList());
        assertEquals("2", formats.get(0).child(1).text());

        Element chart = d.selectFirst("svg.scatter");
        assertEquals(2, chart.select("circle.pt").size(), "one point per readable file");
        assertTrue(chart.select("circle.pt title").eachText().stream()
                .anyMatch(t -> t.endsWith("FLOPs not estimated")));
        assertTrue(chart.select("rect.band").size() == 1, "band for files without FLOPs");
        assertTrue(d.select("#zoo .caption").text().contains("1 of 2 files have no FLOPs estimate: " + vgg.path()));
    }

    @Test
    void estimatedFlopsAreExactOrMarkedAsLowerBounds() {
        HtmlScanReport page = new HtmlScanReport();
        Report vgg = analyze("onnx/vgg16.onnx");
        page.add(vgg);
        Compute partial = new Compute(1000, 2000, 10, List.of(),
                new Compute.Coverage(3, 2, Map.of("CustomOp", 1)), List.of(), List.of(), List.of(), Map.of(), List.of());
        page.add(Reports.withCompute(analyze("onnx/tiny_mlp.onnx"), partial));
        Elements rows = Jsoup.parse(page.render()).select("#file-table tbody tr");
        assertEquals("30,940,528,640", rows.get(0).select("td").get(6).text());
        assertEquals("≥ 2,000", rows.get(1).select("td").get(6).text());
    }

    @Test
    void emptyScan() {
        Document d = Jsoup.parse(new HtmlScanReport().render());
        assertEquals(0, d.select("#file-table tbody tr").size());
        assertEquals("No file could be read.", d.selectFirst("#zoo .none").text());
    }
}
