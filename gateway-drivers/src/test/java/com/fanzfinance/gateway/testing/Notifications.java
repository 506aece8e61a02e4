package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builders for notifications, merchant accounts and sample files in driver tests (shared as a test-jar). */
public final class Notifications {

    public static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");

    private Notifications() {
    }

    public static Notification get(String processor, String rawQuery, String peer) {
        return new Notification("GET", "/hooks/" + processor + "/" + UUID.randomUUID(), rawQuery, List.of(),
                new byte[0], peer, RECEIVED);
    }

    @SafeVarargs
    public static Notification post(String processor, String rawQuery, String contentType, String body, String peer,
                                    Map.Entry<String, String>... extraHeaders) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", contentType));
        for (Map.Entry<String, String> header : extraHeaders) {
            headers.add(header);
        }
        return new Notification("POST", "/hooks/" + processor + "/" + UUID.randomUUID(), rawQuery, headers,
                body.getBytes(StandardCharsets.UTF_8), peer, RECEIVED);
    }

    public static MerchantAccount account(String processor, Map<String, String> settings, Map<String, String> secrets) {
        return account(processor, settings, MerchantAccount.Secrets.of(secrets));
    }

    public static MerchantAccount account(String processor, Map<String, String> settings,
                                          MerchantAccount.Secrets secrets) {
        return new MerchantAccount(UUID.fromString("6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a"), "girlfanz", processor,
                List.of("USD", "EUR"), settings, secrets, null,
                "https://pay.example.test/hooks/" + processor + "/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a");
    }

    /** A test resource as UTF-8 text, e.g. {@code samples/ccbill_webhook_void.json}. */
    public static String resource(String name) {
        try (InputStream in = Notifications.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
