package dev.modeltally.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The stylesheet and script inlined into every page, read once from the jar. Their SHA-256 goes
 * into the page's Content-Security-Policy, so a browser runs exactly these and nothing else, even
 * if some markup ever slipped past the escaping.
 */
enum Resource {
    CSS("report.css"), SCRIPT("report.js");

    private final String text;
    private final String hash;

    Resource(String file) {
        try (InputStream in = Resource.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + file);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            hash = "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String text() {
        return text;
    }

    /** The CSP source expression for this text, e.g. {@code 'sha256-...'}. */
    String hash() {
        return hash;
    }
}
