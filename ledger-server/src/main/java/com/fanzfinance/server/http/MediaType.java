package com.fanzfinance.server.http;

import java.util.Locale;

/**
 * The media type of a {@code Content-Type} header, matched exactly: {@code type/subtype} in lower case
 * (media types are case-insensitive), without parameters ({@code ; charset=utf-8}) and surrounding
 * spaces. {@code application/jsonfoo} and {@code application/json-patch+json} are not JSON.
 */
final class MediaType {
    static final String JSON = "application/json";

    private MediaType() {
    }

    /** The bare media type of {@code header}, or "" when there is none. */
    static String of(String header) {
        if (header == null) {
            return "";
        }
        int parameters = header.indexOf(';');
        String type = parameters < 0 ? header : header.substring(0, parameters);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /** True when {@code header} names exactly {@code mediaType} (parameters aside). */
    static boolean is(String header, String mediaType) {
        return of(header).equals(mediaType);
    }
}
