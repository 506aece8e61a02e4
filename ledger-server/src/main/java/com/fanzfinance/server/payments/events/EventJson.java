package com.fanzfinance.server.payments.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The JSON of events out: the CloudEvents 1.0 envelope (also the body of each NATS message) and the feed's
 * {@code {"events":[…],"next_after":"…"}}. Sequences are decimal strings (64-bit values stay exact in every
 * consumer's JSON); {@code data} is embedded as JSON, not as a string.
 */
public final class EventJson {
    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {
    }

    public static String envelope(OutboxEvent event) {
        return write(json -> writeEnvelope(json, event));
    }

    public static String page(EventPage page) {
        return write(json -> writePage(json, page));
    }

    /** Writes the feed's answer into a generator the HTTP layer owns. */
    public static void writePage(JsonGenerator json, EventPage page) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("events");
        for (OutboxEvent event : page.events()) {
            writeEnvelope(json, event);
        }
        json.writeEndArray();
        json.writeStringField("next_after", Long.toString(page.nextAfter()));
        json.writeEndObject();
    }

    public static void writeEnvelope(JsonGenerator json, OutboxEvent event) throws IOException {
        json.writeStartObject();
        json.writeStringField("specversion", "1.0");
        json.writeStringField("id", event.id().toString());
        json.writeStringField("source", event.source());
        json.writeStringField("type", event.type());
        json.writeStringField("subject", event.subject());
        json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        json.writeStringField("datacontenttype", "application/json");
        json.writeStringField("sequence", Long.toString(event.sequence()));
        json.writeFieldName("data");
        json.writeRawValue(event.dataJson());
        json.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
