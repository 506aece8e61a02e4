package com.fanzfinance.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A call to a processor's API, built by a driver, made by the server.
 *
 * @param method        HTTP method
 * @param url           absolute URL
 * @param headers       headers to send, including any credential header
 * @param secretHeaders names of {@code headers} holding credentials: never shown, logged or stored
 * @param body          the JSON body as text
 */
public record ProviderRequest(String method, String url, Map<String, String> headers, Set<String> secretHeaders,
                              String body) {

    public ProviderRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        secretHeaders = Set.copyOf(secretHeaders);
        Objects.requireNonNull(body, "body");
    }

    /** The body, which never holds a credential: what a checkout answer may show. */
    public String publicBody() {
        return body;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((name, value) -> shown.put(name, secretHeaders.contains(name) ? "(secret)" : value));
        return "ProviderRequest[" + method + " " + url + ", headers=" + shown + ", body=" + body + "]";
    }
}
