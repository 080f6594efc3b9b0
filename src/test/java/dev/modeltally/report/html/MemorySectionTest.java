package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Fixtures;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The Memory section: figures, and the live-bytes chart with its peak marked. */
class MemorySectionTest {

    @Test
    void vgg16PeakIsMarkedOnTheLiveBytesChart() throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("compute/vgg16.onnx"), ModelTally.Options.DEFAULT);
        Document d = Jsoup.parse(HtmlReport.render(r));
        Element section = d.selectFirst("section#memory");
        assertNotNull(section);
        assertTrue(section.text().contains("at " + r.memory().peakAt()), section.text());
        Element chart = section.selectFirst("svg.live");
        assertNotNull(chart);
        assertNotNull(chart.selectFirst("path.area"));
        assertNotNull(chart.selectFirst("line.peak"));
        assertEquals("peak 24.5 MiB at " + r.memory().peakAt(), chart.selectFirst("text.peak").text());
        assertTrue(chart.attr("aria-label").contains(r.memory().live().size() + " nodes"));
    }

    @Test
    void noMemorySectionWithoutAGraph() throws Exception {
        Report r = ModelTally.analyze(Fixtures.path("keras/mnist_mlp.weights.h5"), ModelTally.Options.DEFAULT);
        assertNull(Jsoup.parse(HtmlReport.render(r)).selectFirst("section#memory"));
    }
}
