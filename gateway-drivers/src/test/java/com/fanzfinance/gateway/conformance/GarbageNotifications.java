package com.fanzfinance.gateway.conformance;

import com.fanzfinance.gateway.Notification;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Notifications no processor sends: what a scanner, a misconfigured proxy or an attacker may post to a webhook
 * URL. Each names itself, so a failing case says which input broke a driver. They carry the field names the drivers
 * look for (event types, ids, signatures) where that gets an input past a driver's first checks.
 */
final class GarbageNotifications {

    /** One input: its name, and the notification for a processor's webhook path. */
    record Garbage(String name, Function<String, Notification> build) {

        /** The notification as posted to {@code path}. */
        Notification forPath(String path) {
            return build.apply(path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");
    private static final String PEER = "198.51.100.23";

    private GarbageNotifications() {
    }

    static List<Garbage> all() {
        List<Garbage> all = new ArrayList<>();
        all.add(get("empty GET", ""));
        all.add(post("empty JSON POST", "", "application/json", new byte[0]));
        all.add(post("empty form POST", "", "application/x-www-form-urlencoded", new byte[0]));
        all.add(post("binary junk", "", "application/octet-stream", junk(4096, 1)));
        all.add(post("binary junk labelled JSON", "", "application/json", junk(4096, 2)));
        all.add(post("binary junk after an opening brace", "", "application/json", concat("{".getBytes(StandardCharsets.UTF_8), junk(2048, 3))));
        all.add(post("binary junk without content type", "", null, junk(4096, 4)));
        all.add(post("invalid UTF-8 in JSON", "eventType=NewSaleSuccess", "application/json",
                bytes("{\"payment_status\":\"fin", 0xC3, 0x28, "ished\",\"payment_id\":1,\"transactionId\":\"", 0xFF, "\"}")));
        all.add(post("invalid UTF-8 in a form", "", "application/x-www-form-urlencoded",
                bytes("event=initial&transactionID=", 0xFE, 0xFF, "&signature=", 0xC0, 0xAF)));
        all.add(get("invalid percent escapes", "event=%E0%A4%A&signature=%zz&shopID=%&eventType=%&transactionId=%G0"));
        all.add(get("control characters", "event=initial%00&transactionID=%0d%0a1&priceAmount=%001&eventType=Refund%00"));
        all.add(get("huge query", hugeQuery()));
        all.add(get("huge single value", "event=initial&signature=" + "a".repeat(1_000_000)));
        all.add(post("deeply nested JSON arrays", "", "application/json", nested("[", "]", 100_000)));
        all.add(post("deeply nested JSON objects", "", "application/json", nested("{\"a\":", "}", 50_000)));
        all.add(post("XML labelled JSON", "", "application/json",
                "<?xml version=\"1.0\"?><ipn><payment_status>finished</payment_status></ipn>".getBytes(StandardCharsets.UTF_8)));
        all.add(post("JSON labelled text/plain", "", "text/plain",
                "{\"payment_status\":\"finished\",\"eventType\":\"NewSaleSuccess\"}".getBytes(StandardCharsets.UTF_8)));
        all.add(post("JSON labelled a form", "", "application/x-www-form-urlencoded",
                "{\"event\":\"initial\",\"payment_status\":\"finished\"}".getBytes(StandardCharsets.UTF_8)));
        all.add(post("a form labelled JSON", "", "application/json",
                "event=initial&payment_status=finished&eventType=NewSaleSuccess".getBytes(StandardCharsets.UTF_8)));
        all.add(post("UTF-16 JSON", "", "application/json; charset=utf-16",
                "{\"payment_status\":\"finished\"}".getBytes(StandardCharsets.UTF_16)));
        all.add(post("a JSON array", "", "application/json", "[{\"payment_status\":\"finished\"}]".getBytes(StandardCharsets.UTF_8)));
        all.add(post("JSON members of the wrong types", "eventType=NewSaleSuccess", "application/json",
                ("{\"eventType\":[\"NewSaleSuccess\"],\"transactionId\":{\"a\":1},\"payment_status\":{\"a\":1},"
                        + "\"payment_id\":true,\"price_amount\":\"abc\",\"price_currency\":7,\"event\":null,"
                        + "\"accountingInitialPrice\":[9.99],\"updated_at\":\"yesterday\"}").getBytes(StandardCharsets.UTF_8)));
        all.add(post("JSON of a payment with absurd numbers", "", "application/json",
                ("{\"payment_id\":1e999,\"payment_status\":\"finished\",\"price_amount\":-0.0,"
                        + "\"price_currency\":\"usd\",\"updated_at\":99999999999999999999}").getBytes(StandardCharsets.UTF_8)));
        all.add(post("JSON with repeated members", "", "application/json",
                "{\"payment_status\":\"finished\",\"payment_status\":\"\",\"payment_id\":1,\"payment_id\":null}"
                        .getBytes(StandardCharsets.UTF_8)));
        all.add(post("event names without anything else", "eventType=NewSaleSuccess&event=initial", "application/json",
                "{\"payment_status\":\"finished\"}".getBytes(StandardCharsets.UTF_8)));
        all.add(post("garbage signature headers", "signature=" + "f".repeat(64), "application/json",
                "{\"payment_status\":\"finished\",\"payment_id\":5800567260,\"eventType\":\"Refund\",\"event\":\"credit\"}"
                        .getBytes(StandardCharsets.UTF_8),
                Map.entry("x-nowpayments-sig", "zz" + "\u00e9".repeat(20_000)), Map.entry("X-NOWPAYMENTS-SIG", "")));
        return all;
    }

    private static Garbage get(String name, String query) {
        return new Garbage(name, path -> new Notification("GET", path, query, List.of(), new byte[0], PEER, RECEIVED));
    }

    @SafeVarargs
    private static Garbage post(String name, String query, String contentType, byte[] body,
                                Map.Entry<String, String>... extraHeaders) {
        List<Map.Entry<String, String>> extra = new ArrayList<>();
        for (Map.Entry<String, String> header : extraHeaders) {
            extra.add(header);
        }
        return new Garbage(name, path -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (contentType != null) {
                headers.add(Map.entry("Content-Type", contentType));
            }
            headers.addAll(extra);
            return new Notification("POST", path, query, headers, body.clone(), PEER, RECEIVED);
        });
    }

    private static byte[] junk(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Text parts as UTF-8 and integers as raw bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer raw) {
                out.write(raw);
            } else {
                out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static byte[] nested(String open, String close, int depth) {
        return ("{\"payment_status\":\"finished\",\"x\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String hugeQuery() {
        StringBuilder query = new StringBuilder("eventType=NewSaleSuccess&event=initial");
        for (int i = 0; i < 20_000; i++) {
            query.append("&p").append(i).append("=v").append(i);
        }
        return query.toString();
    }
}
