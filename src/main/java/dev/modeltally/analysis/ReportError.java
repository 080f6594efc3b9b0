package dev.modeltally.analysis;

/** Why a file could not be analysed: kind is corrupt, unsupported or io. */
public record ReportError(String kind, String message) {
}
