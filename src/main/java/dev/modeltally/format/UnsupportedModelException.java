package dev.modeltally.format;

/** A valid file using something modeltally does not handle (or not a model at all); says which. */
public final class UnsupportedModelException extends ModelReadException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message, null);
    }

    public UnsupportedModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String kind() {
        return "unsupported";
    }
}
