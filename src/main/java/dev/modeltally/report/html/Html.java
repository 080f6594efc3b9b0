package dev.modeltally.report.html;

import java.util.regex.Pattern;

/**
 * A tiny HTML (and inline SVG) writer. Every text and attribute value passes through
 * {@link #escape}, because most strings in a report come from the model file: layer names,
 * producer, metadata and finding messages are attacker-controlled. Tag and attribute names are
 * always our own constants and are checked. The only unescaped output is {@link #trusted}, for the
 * stylesheet and script shipped in the jar.
 */
final class Html {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9:-]*");
    private static final Pattern VOID = Pattern.compile("meta|br|hr|input|col|wbr|img|link");

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Opens {@code tag}; {@code attrs} are name/value pairs, a null value leaves the attribute out. */
    Html open(String tag, String... attrs) {
        out.append('<').append(name(tag));
        attributes(attrs);
        out.append('>');
        return this;
    }

    /** A void or self-closed element ({@code <meta>}, {@code <rect/>}): HTML voids get no slash. */
    Html empty(String tag, String... attrs) {
        out.append('<').append(name(tag));
        attributes(attrs);
        out.append(VOID.matcher(tag).matches() ? ">" : "/>");
        return this;
    }

    Html close(String tag) {
        out.append("</").append(name(tag)).append('>');
        return this;
    }

    /** {@code <tag attrs>text</tag>}. */
    Html el(String tag, Object text, String... attrs) {
        return open(tag, attrs).text(text).close(tag);
    }

    Html text(Object s) {
        out.append(escape(s == null ? "" : s.toString()));
        return this;
    }

    /** A file path, with a line-break opportunity after each separator so it wraps between folders. */
    Html path(String p) {
        int from = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if ((c == '/' || c == '\\') && i < p.length() - 1) {
                text(p.substring(from, i + 1));
                out.append("<wbr>");
                from = i + 1;
            }
        }
        return text(p.substring(from));
    }

    /** Our own stylesheet or script, never anything from a model. */
    Html trusted(Resource r) {
        out.append(r.text());
        return this;
    }

    Html trustedDoctype() {
        out.append("<!DOCTYPE html>\n");
        return this;
    }

    Html newline() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void attributes(String[] attrs) {
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] == null) {
                continue;
            }
            out.append(' ').append(name(attrs[i])).append("=\"").append(escape(attrs[i + 1])).append('"');
        }
    }

    private static String name(String n) {
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("not a tag or attribute name: " + n);
        }
        return n;
    }

    /**
     * Escapes text for element content and double- or single-quoted attributes. Characters HTML
     * cannot carry (controls, lone surrogates, noncharacters) become U+FFFD, and invisible
     * direction overrides are shown as {@code <U+202E>} so a name cannot display as something it
     * is not.
     */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            String rep = replacement(c);
            if (rep == null) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            sb.append(rep);
        }
        return sb == null ? s : sb.toString();
    }

    /** What to write instead of {@code c}, or null when it is fine as is (pairs are handled by the caller). */
    private static String replacement(char c) {
        switch (c) {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\'': return "&#39;";
            case '\t', '\n', '\r': return null;
            default: break;
        }
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xfffe || c == 0xffff || Character.isSurrogate(c)) {
            return "\uFFFD";
        }
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c) {
            return String.format("&lt;U+%04X&gt;", (int) c);
        }
        return null;
    }
}
