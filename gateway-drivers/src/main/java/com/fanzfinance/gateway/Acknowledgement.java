package com.fanzfinance.gateway;

import java.util.Objects;

/** The answer body a processor expects for an accepted notification (status 200). */
public record Acknowledgement(String contentType, String body) {

    public Acknowledgement {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    public static Acknowledgement text(String body) {
        return new Acknowledgement("text/plain; charset=utf-8", body);
    }
}
