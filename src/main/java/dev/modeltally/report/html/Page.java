package dev.modeltally.report.html;

/** The frame every report shares: head with inline stylesheet and policy, body, inline script. */
final class Page {

    /** Nothing is fetched: only our own inline style and script may run. */
    static final String POLICY = "default-src 'none'; style-src " + Resource.CSS.hash() + "; script-src "
            + Resource.SCRIPT.hash() + "; base-uri 'none'; form-action 'none'";

    private Page() {
    }

    /** Writes everything up to and including {@code <body>}. */
    static Html start(String title) {
        Html h = new Html();
        h.trustedDoctype();
        h.open("html", "lang", "en").newline();
        h.open("head").newline();
        h.empty("meta", "charset", "utf-8").newline();
        h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").newline();
        h.empty("meta", "http-equiv", "Content-Security-Policy", "content", POLICY).newline();
        h.empty("meta", "name", "generator", "content", "modeltally").newline();
        h.el("title", title).newline();
        h.open("style").trusted(Resource.CSS).close("style").newline();
        h.close("head").newline();
        h.open("body").newline();
        return h;
    }

    static String finish(Html h) {
        h.open("footer").text("Made by modeltally from the file's metadata alone: nothing in the model was run. "
                + "Counting conventions: docs/counting.md.").close("footer").newline();
        h.open("script").trusted(Resource.SCRIPT).close("script").newline();
        h.close("body").newline().close("html").newline();
        return h.toString();
    }
}
