package dev.modeltally.format.onnx;

import com.google.protobuf.WireFormat;
import dev.modeltally.format.Confidence;
import dev.modeltally.format.Limits;
import dev.modeltally.format.Match;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Probe;
import dev.modeltally.format.Source;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** ONNX protobuf ({@code ModelProto}) files. */
public final class OnnxFormat implements ModelFormat {

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public List<String> extensions() {
        return List.of(".onnx", ".onnx.bin", ".pb");
    }

    /**
     * Walks the head as ModelProto fields: every complete field must be a known ModelProto field with
     * its proper wire type. An ir_version first (as every exporter writes it) gives HIGH confidence.
     */
    @Override
    public Optional<Match> match(Probe probe) {
        return probe(probe.head()).map(c -> new Match(this, c, probe));
    }

    static Optional<Confidence> probe(ByteBuffer head) {
        int pos = head.position();
        int end = head.limit();
        int fields = 0;
        boolean irFirst = false;
        boolean sawGraphOrOpset = false;
        while (pos < end) {
            long[] tag = varint(head, pos, end);
            if (tag == null) {
                break;
            }
            int field = (int) (tag[0] >>> 3);
            int wire = (int) (tag[0] & 7);
            pos = (int) tag[1];
            if (!known(field, wire)) {
                return Optional.empty();
            }
            if (wire == WireFormat.WIRETYPE_VARINT) {
                long[] v = varint(head, pos, end);
                if (v == null) {
                    break;
                }
                if (fields == 0 && field == 1 && v[0] >= 1 && v[0] <= 64) {
                    irFirst = true;
                }
                pos = (int) v[1];
            } else {
                long[] len = varint(head, pos, end);
                if (len == null) {
                    break;
                }
                if (len[0] < 0 || len[0] > Integer.MAX_VALUE) {
                    return Optional.empty();
                }
                if (field == 7 || field == 8) {
                    sawGraphOrOpset = true;
                }
                long next = len[1] + len[0];
                if (next > end) {
                    fields++;
                    break;
                }
                pos = (int) next;
            }
            fields++;
        }
        if (fields == 0) {
            return Optional.empty();
        }
        if (irFirst && (fields > 1 || sawGraphOrOpset)) {
            return Optional.of(Confidence.HIGH);
        }
        return Optional.of(sawGraphOrOpset ? Confidence.MEDIUM : Confidence.LOW);
    }

    private static boolean known(int field, int wire) {
        return switch (field) {
            case 1, 5 -> wire == WireFormat.WIRETYPE_VARINT;
            case 2, 3, 4, 6, 7, 8, 14, 20, 25, 26 -> wire == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            default -> false;
        };
    }

    /** {value, next position} or null when the varint does not end inside the buffer. */
    private static long[] varint(ByteBuffer b, int pos, int end) {
        long result = 0;
        for (int shift = 0; shift < 64 && pos < end; shift += 7) {
            int x = b.get(pos++) & 0xff;
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {result, pos};
            }
        }
        return null;
    }

    /**
     * Walks the file through the Source: a buffered stream whose skips cost nothing, so tensor
     * bytes are never read, locally or remotely.
     */
    @Override
    public Model read(Match match, Limits limits, Path architecture) throws IOException, ModelReadException {
        Source source = match.probe().source();
        if (source.size() > Integer.MAX_VALUE) {
            throw new UnsupportedModelException("file over 2 GiB: a protobuf ONNX file cannot be that large (big "
                    + "models keep weights as external data)");
        }
        return ModelFormat.architectureIgnored(new OnnxReader(source, limits).read(), architecture, id());
    }
}
