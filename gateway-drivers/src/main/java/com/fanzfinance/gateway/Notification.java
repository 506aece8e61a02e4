package com.fanzfinance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A notification exactly as it arrived: what the server stores before anything else, and what drivers read.
 *
 * @param method     the HTTP method, upper case
 * @param path       the request path, e.g. {@code /hooks/verotel/6f1c…}
 * @param rawQuery   the query string as sent, without {@code ?}; empty when there was none
 * @param headers    the headers in arrival order, names as sent
 * @param body       the body bytes (empty for none); never modified
 * @param peer       the sender's address as the server determined it (TCP peer or trusted proxy's client)
 * @param receivedAt when the server received it
 */
public record Notification(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
                           byte[] body, String peer, Instant receivedAt) {

    /** Numbers as exact decimals (money must never pass through a double); a repeated member is no object. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    public Notification {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The first header of that name, compared without case. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return Optional.of(header.getValue());
            }
        }
        return Optional.empty();
    }

    /** The body as UTF-8 text, if it is valid UTF-8. */
    public Optional<String> bodyText() {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The media type of the body, lower case, without parameters; empty when absent. */
    public String contentType() {
        return header("Content-Type").map(value -> {
            int semicolon = value.indexOf(';');
            return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }).orElse("");
    }

    /** The query string's parameters, in order, decoded as {@code application/x-www-form-urlencoded}. */
    public Parameters queryParameters() {
        return Parameters.parseForm(rawQuery);
    }

    /** The body's parameters when it is a form ({@code application/x-www-form-urlencoded}); else none. */
    public Parameters formParameters() {
        if (!contentType().equals("application/x-www-form-urlencoded") && !(contentType().isEmpty() && looksLikeForm())) {
            return Parameters.EMPTY;
        }
        return bodyText().map(Parameters::parseForm).orElse(Parameters.EMPTY);
    }

    /** The body as a JSON object, if it is one. */
    public Optional<ObjectNode> jsonBody() {
        if (body.length == 0) {
            return Optional.empty();
        }
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '{') {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Every parameter the notification carries: the query's, then the form body's or the JSON body's top-level
     * scalar members (as their text). Where a name appears in both, {@link Parameters#first} returns the query's.
     */
    public Parameters parameters() {
        List<Map.Entry<String, String>> all = new ArrayList<>(queryParameters().entries());
        Optional<ObjectNode> json = jsonBody();
        if (json.isPresent()) {
            json.get().properties().forEach(field -> {
                JsonNode value = field.getValue();
                if (value.isNumber()) {
                    // The number exactly as sent, never in exponent form: 19.999999999999999999 stays that.
                    all.add(Map.entry(field.getKey(), value.decimalValue().toPlainString()));
                } else if (value.isValueNode() && !value.isNull()) {
                    all.add(Map.entry(field.getKey(), value.asText()));
                }
            });
        } else {
            all.addAll(formParameters().entries());
        }
        return new Parameters(all);
    }

    private boolean looksLikeForm() {
        return body.length > 0 && body[0] != '{' && body[0] != '[' && body[0] != '<';
    }

    /** Ordered name-value pairs; a name may repeat. */
    public record Parameters(List<Map.Entry<String, String>> entries) {

        public static final Parameters EMPTY = new Parameters(List.of());

        public Parameters {
            entries = List.copyOf(entries);
        }

        /** Parses {@code a=1&b=2} as a browser form; a malformed escape keeps the text as it was. */
        public static Parameters parseForm(String text) {
            if (text == null || text.isEmpty()) {
                return EMPTY;
            }
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                entries.add(Map.entry(decode(name), decode(value)));
            }
            return new Parameters(entries);
        }

        private static String decode(String text) {
            try {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return text;
            }
        }

        /** The first value of that name (exact case). */
        public Optional<String> first(String name) {
            for (Map.Entry<String, String> entry : entries) {
                if (entry.getKey().equals(name)) {
                    return Optional.of(entry.getValue());
                }
            }
            return Optional.empty();
        }

        /** The first non-blank value of that name, trimmed. */
        public Optional<String> nonBlank(String name) {
            return first(name).map(String::trim).filter(value -> !value.isEmpty());
        }

        public boolean isEmpty() {
            return entries.isEmpty();
        }

        /**
         * The first name that appears more than once, if any: for processors that echo the fan's form fields, a
         * repeated field makes the notification ambiguous (which value did the processor act on?).
         */
        public Optional<String> firstRepeatedName() {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Map.Entry<String, String> entry : entries) {
                if (!seen.add(entry.getKey())) {
                    return Optional.of(entry.getKey());
                }
            }
            return Optional.empty();
        }
    }
}
