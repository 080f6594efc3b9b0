package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesMarkupInTextAndAttributes() {
        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", Html.escape("<script>alert(1)</script>"));
        assertEquals("a &amp; b &quot;c&quot; &#39;d&#39;", Html.escape("a & b \"c\" 'd'"));
        String h = new Html().el("td", "x", "title", "\" onmouseover=\"alert(1)").toString();
        assertEquals("<td title=\"&quot; onmouseover=&quot;alert(1)\">x</td>", h);
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String s = "/features/features.0/Conv ×3 · 日本語 😀\ttab";
        assertEquals(s, Html.escape(s));
    }

    @Test
    void replacesWhatHtmlCannotCarry() {
        assertEquals("a\uFFFDb\uFFFDc\uFFFD", Html.escape("a\u0000b\u0085c\uD800"));
        assertEquals("\uFFFDx", Html.escape("\uDC00x"));
    }

    @Test
    void showsDirectionOverridesInsteadOfObeyingThem() {
        assertEquals("evil&lt;U+202E&gt;fdp.exe", Html.escape("evil\u202Efdp.exe"));
    }

    @Test
    void pathsBreakAfterSeparatorsOnly() {
        assertEquals("a/<wbr>&lt;b&gt;/<wbr>c", new Html().path("a/<b>/c").toString());
    }

    @Test
    void refusesNamesThatAreNotNames() {
        assertThrows(IllegalArgumentException.class, () -> new Html().open("td onclick=x"));
        assertThrows(IllegalArgumentException.class, () -> new Html().open("td", "on click", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Html().open("td", "class"));
    }

    /** Whatever the string, a parser gets it back as text and attribute, and no element or attribute more. */
    @Test
    void randomHostileStringsRoundTripThroughAParser() {
        String alphabet = "<>&\"'=/ abc;#x\u0000\u0001\u0085\u202e\ud800\udc00\ud83d\ude00\t\n";
        Random random = new Random(8);
        for (int run = 0; run < 2_000; run++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            String html = new Html().open("div", "id", "t").el("span", s, "title", s).close("div").toString();
            Element div = Jsoup.parseBodyFragment(html).getElementById("t");
            assertEquals(1, div.children().size(), html);
            Element span = div.child(0);
            assertEquals(0, span.children().size(), html);
            assertEquals(List.of("title"), span.attributes().asList().stream().map(a -> a.getKey()).toList(), html);
            String expected = Jsoup.parseBodyFragment("<p>" + Html.escape(s)).selectFirst("p").wholeText();
            assertEquals(expected, span.wholeText(), html);
            assertEquals(expected, span.attr("title"), html);
        }
    }
}
