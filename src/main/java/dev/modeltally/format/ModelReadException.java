package dev.modeltally.format;

/** A model file could not be read. The message is one line, fit to show a user as it is. */
public abstract sealed class ModelReadException extends Exception
        permits UnsupportedModelException, CorruptModelException {
    private static final long serialVersionUID = 1L;

    protected ModelReadException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code corrupt} or {@code unsupported}: the {@code error.kind} of a scan row. */
    public abstract String kind();

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String t = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }
}
