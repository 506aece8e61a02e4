package com.fanzfinance.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import com.fanzfinance.ledger.command.SideData;

/**
 * Copies the metadata object a parser stands on into compact UTF-8 JSON, exactly: numbers keep the
 * decimal text they were sent with ({@code 1e400}, {@code -0}, {@code 1.0} and 23-digit integers are
 * never turned into a {@code double} or a {@code long}), strings and keys keep their characters, key
 * order is kept. The copy is cut off the moment it passes {@link SideData#METADATA_MAX_BYTES}, token by
 * token while the request is parsed, so an oversized object is never held whole; the parser's string
 * and number limits (see {@link JsonReader}) bound what one token can buffer before that.
 */
final class MetadataCopy {
    /** Writes characters outside the BMP as UTF-8 (not as escaped surrogate pairs), like every other character. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private MetadataCopy() {
    }

    /** The object starting at the parser's current {@code START_OBJECT}, which is left on its {@code END_OBJECT}. */
    static byte[] copy(JsonParser parser, String pointer) {
        Bounded out = new Bounded(SideData.METADATA_MAX_BYTES, pointer);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            copyTokens(parser, json);
        } catch (StreamConstraintsException e) {
            throw tooLarge(pointer);
        } catch (JsonGenerationException e) {
            throw Problem.invalidField("metadata must be valid Unicode text: " + JsonReader.plain(e.getOriginalMessage()),
                pointer);
        } catch (JsonProcessingException e) {
            throw Problem.malformedJson("malformed JSON in metadata: " + JsonReader.plain(e.getOriginalMessage()), pointer);
        } catch (IOException e) {
            throw JsonReader.unreadable(e, pointer);
        }
        return out.bytes();
    }

    private static void copyTokens(JsonParser parser, JsonGenerator json) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            depth += copyToken(parser, json, token);
            if (depth == 0) {
                return;
            }
            json.flush();
            token = parser.nextToken();
            if (token == null) {
                throw Problem.malformedJson("the input ends inside metadata", "");
            }
        }
    }

    /** Writes one token; returns how it changes the nesting depth. */
    private static int copyToken(JsonParser parser, JsonGenerator json, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> json.writeStartObject();
            case START_ARRAY -> json.writeStartArray();
            case END_OBJECT -> json.writeEndObject();
            case END_ARRAY -> json.writeEndArray();
            case FIELD_NAME -> json.writeFieldName(parser.currentName());
            case VALUE_STRING -> json.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.writeNumber(parser.getText());
            case VALUE_TRUE -> json.writeBoolean(true);
            case VALUE_FALSE -> json.writeBoolean(false);
            case VALUE_NULL -> json.writeNull();
            default -> throw new IllegalStateException("unexpected token in metadata: " + token);
        }
        return switch (token) {
            case START_OBJECT, START_ARRAY -> 1;
            case END_OBJECT, END_ARRAY -> -1;
            default -> 0;
        };
    }

    static Problem tooLarge(String pointer) {
        return Problem.invalidField("metadata is a JSON object of at most " + SideData.METADATA_MAX_BYTES
            + " bytes (compact UTF-8); this one is larger", pointer);
    }

    /** A byte sink that refuses to grow past its limit. */
    private static final class Bounded extends OutputStream {
        private final int limit;
        private final String pointer;
        private byte[] bytes = new byte[256];
        private int length;

        Bounded(int limit, String pointer) {
            this.limit = limit;
            this.pointer = pointer;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int count) {
            ensure(count);
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        private void ensure(int more) {
            if ((long) length + more > limit) {
                throw tooLarge(pointer);
            }
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(bytes.length * 2, length + more)));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
