package dev.modeltally.format;

/** The file is broken (truncated, malformed, inconsistent, over a limit); the message says where. */
public final class CorruptModelException extends ModelReadException {
    private static final long serialVersionUID = 1L;

    public CorruptModelException(String message) {
        super(message, null);
    }

    public CorruptModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String kind() {
        return "corrupt";
    }
}
