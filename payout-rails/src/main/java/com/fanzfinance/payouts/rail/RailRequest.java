package com.fanzfinance.payouts.rail;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A call to a rail's API.
 *
 * @param method        HTTP method
 * @param url           absolute URL
 * @param headers       headers, including any credential header
 * @param secretHeaders names of {@code headers} holding credentials: never shown or logged
 * @param body          the body (empty for none)
 * @param secretBody    whether the body holds a credential (Paxum's key) or personal data (a payee's bank account): then
 *                      it is never shown or logged
 * @param secretUrl     whether the URL's path holds something not to show (a token, personal data): then only its
 *                      scheme, host and port are shown; a query is never shown
 */
public record RailRequest(String method, String url, Map<String, String> headers, Set<String> secretHeaders, byte[] body,
                          boolean secretBody, boolean secretUrl) {

    public RailRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        secretHeaders = Set.copyOf(secretHeaders);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A request whose URL may be shown (scheme, host, port and path; never the query). */
    public RailRequest(String method, String url, Map<String, String> headers, Set<String> secretHeaders, byte[] body,
                       boolean secretBody) {
        this(method, url, headers, secretHeaders, body, secretBody, false);
    }

    /** This request with its URL's path hidden from {@link #toString()} too. */
    public RailRequest withSecretUrl() {
        return new RailRequest(method, url, headers, secretHeaders, body, secretBody, true);
    }

    public static RailRequest get(String url, Map<String, String> headers, Set<String> secretHeaders) {
        return new RailRequest("GET", url, headers, secretHeaders, new byte[0], false);
    }

    public static RailRequest json(String method, String url, Map<String, String> headers, Set<String> secretHeaders,
                                   String json) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new RailRequest(method, url, all, secretHeaders, json.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** The request as logs may show it: credential headers and a secret body hidden. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((name, value) -> shown.put(name, secretHeaders.contains(name) ? "(secret)" : value));
        return "RailRequest[" + method + " " + shownUrl() + ", headers=" + shown + ", body="
            + (secretBody ? "(" + body.length + " bytes, holds a credential)" : new String(body, StandardCharsets.UTF_8))
            + "]";
    }

    /** {@code scheme://host[:port]}, then the path unless {@link #secretUrl()}, and {@code ?…} for any query. */
    private String shownUrl() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "(an unreadable URL)";
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            return "(a URL without a host)";
        }
        String host = uri.getHost() == null ? "(host)" : uri.getHost();
        return uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + (secretUrl ? (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : "/(path hidden)")
                : (uri.getRawPath() == null ? "" : uri.getRawPath()))
            + (uri.getRawQuery() == null ? "" : "?(query hidden)");
    }
}
