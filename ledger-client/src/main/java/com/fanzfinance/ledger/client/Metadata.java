package com.fanzfinance.ledger.client;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import com.fanzfinance.ledger.command.SideData;

/**
 * Checks metadata before it is sent, with the server's rules: one JSON object, no duplicate keys, at most
 * {@link SideData#METADATA_MAX_BYTES} bytes once written compactly. Metadata is kept in that compact
 * form, which is also how the ledger returns it, so what goes in compares equal to what comes out.
 */
final class Metadata {
    private static final JsonFactory STRICT = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Metadata() {
    }

    /** The compact form of {@code json}, or null for null; anything else than one object is refused. */
    static String compact(String json) {
        if (json == null) {
            return null;
        }
        String compact = rewrite(json);
        int bytes = compact.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > SideData.METADATA_MAX_BYTES) {
            throw new IllegalArgumentException("metadata is " + bytes + " bytes; at most " + SideData.METADATA_MAX_BYTES
                + " are allowed");
        }
        return compact;
    }

    private static String rewrite(String json) {
        StringWriter out = new StringWriter(json.length());
        try (JsonParser parser = STRICT.createParser(json); JsonGenerator generator = STRICT.createGenerator(out)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("metadata must be a JSON object");
            }
            generator.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("metadata must be a single JSON object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
