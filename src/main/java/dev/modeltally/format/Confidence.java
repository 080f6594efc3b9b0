package dev.modeltally.format;

/** How sure a format is that a file is its own, judged from content. */
public enum Confidence {
    /** Plausible, e.g. protobuf that parses as a ModelProto prefix. */
    LOW,
    /** Structure matches but nothing unique was seen. */
    MEDIUM,
    /** A magic signature or an unambiguous structure. */
    HIGH
}
