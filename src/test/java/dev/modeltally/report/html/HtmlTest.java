package dev.modeltally.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
