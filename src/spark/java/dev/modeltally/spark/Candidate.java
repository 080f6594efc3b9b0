package dev.modeltally.spark;

import java.io.Serializable;

/** A regular file found under the scan's paths: its fully qualified Hadoop path and its size. */
record Candidate(String path, long size) implements Serializable {
}
