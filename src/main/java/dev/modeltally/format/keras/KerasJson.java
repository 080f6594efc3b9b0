package dev.modeltally.format.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Keras config JSON with hard bounds: document size, nesting depth and string length are
 * checked by the parser itself, so a hostile config is a {@link CorruptModelException}, never a
 * StackOverflowError or an OutOfMemoryError.
 */
final class KerasJson {

    /** Python bytecode and other code strings are replaced by this in node attributes. */
    static final String CODE_PLACEHOLDER = "<code not decoded>";

    private KerasJson() {
    }

    static JsonNode parse(byte[] bytes, String what, Limits limits) throws CorruptModelException {
        Limits.check(what + " size in bytes", bytes.length, limits.maxJsonBytes(), "--max-json-bytes");
        return parse(new String(bytes, StandardCharsets.UTF_8), what, limits);
    }

    static JsonNode parse(String text, String what, Limits limits) throws CorruptModelException {
        Limits.check(what + " size in characters", text.length(), limits.maxJsonBytes(), "--max-json-bytes");
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxDocumentLength(limits.maxJsonBytes())
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxJsonBytes()))
                .maxNumberLength(1000)
                .build();
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints).build();
        try (JsonParser p = factory.createParser(text)) {
            JsonNode node = tree(p);
            if (node == null) {
                throw new CorruptModelException(what + " is empty");
            }
            if (p.nextToken() != null) {
                throw new CorruptModelException(what + " has trailing content after the JSON value");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new CorruptModelException(what + " exceeds a limit: " + firstLine(e.getOriginalMessage())
                    + " (JSON nesting limit " + limits.maxJsonDepth() + ")", e);
        } catch (JsonProcessingException e) {
            throw new CorruptModelException(what + " is not valid JSON: " + firstLine(e.getOriginalMessage())
                    + location(e), e);
        } catch (IOException e) {
            throw new CorruptModelException(what + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the tree from parser tokens with an explicit stack. Jackson's ObjectMapper would do the
     * same but costs a third of a second of class loading on every run of the CLI.
     */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Deque<ContainerNode<?>> stack = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        JsonNode done = null;
        for (JsonToken t = p.nextToken(); t != null; t = stack.isEmpty() ? null : p.nextToken()) {
            JsonNode value;
            switch (t) {
                case FIELD_NAME -> {
                    names.push(p.currentName());
                    continue;
                }
                case START_OBJECT -> {
                    stack.push(f.objectNode());
                    continue;
                }
                case START_ARRAY -> {
                    stack.push(f.arrayNode());
                    continue;
                }
                case END_OBJECT, END_ARRAY -> value = stack.pop();
                case VALUE_STRING -> value = f.textNode(p.getText());
                case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> value = f.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> value = f.booleanNode(true);
                case VALUE_FALSE -> value = f.booleanNode(false);
                case VALUE_NULL -> value = f.nullNode();
                default -> throw new JsonParseException(p, "unexpected token " + t);
            }
            if (stack.isEmpty()) {
                done = value;
            } else if (stack.peek() instanceof ObjectNode o) {
                o.set(names.pop(), value);
            } else {
                ((ArrayNode) stack.peek()).add(value);
            }
        }
        return done;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * A JSON tree as plain values (Map, List, Long, Double, String, Boolean, null) for
     * {@link dev.modeltally.ir.Attributes}. Depth is already bounded by the parser. Code fields of
     * Lambda configs are replaced by {@link #CODE_PLACEHOLDER}: they are never decoded, and there is
     * no reason to carry them further.
     */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            if (isLambdaFunction(n)) {
                return CODE_PLACEHOLDER;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                m.put(e.getKey(), plain(e.getValue()));
            }
            return Collections.unmodifiableMap(m);
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            for (JsonNode c : n) {
                l.add(plain(c));
            }
            return Collections.unmodifiableList(l);
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return n.asText();
    }

    /** The config of a layer as attributes: its "config" object, plain. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plainObject(JsonNode n) {
        Object o = plain(n);
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Keras 3 serialises a Python lambda as {"class_name": "__lambda__", "config": {"code": ...}}. */
    static boolean isLambdaFunction(JsonNode n) {
        return n.isObject() && "__lambda__".equals(n.path("class_name").asText(null));
    }

    static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : fallback;
    }
}
