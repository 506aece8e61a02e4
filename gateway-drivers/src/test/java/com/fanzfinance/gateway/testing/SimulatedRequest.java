package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request a simulated processor would send to a merchant account's webhook URL
 * ({@code /hooks/{processor}/{merchantAccountId}}), exactly as the processor would send it: the drivers read
 * notifications byte for byte, so a test must send these bytes unchanged. No processor adds
 * anything to the webhook path: the request goes to the account's webhook URL with {@link #rawQuery()} appended.
 *
 * @param method      {@code GET} or {@code POST}
 * @param rawQuery    the query string, already encoded, without {@code ?}; empty for none
 * @param contentType the {@code Content-Type} header value, or {@code null} when there is no body
 * @param headers     further headers (signature headers), in sending order, without {@code Content-Type}
 * @param body        the body bytes; empty for none
 */
public record SimulatedRequest(String method, String rawQuery, String contentType,
                               List<Map.Entry<String, String>> headers, byte[] body) {

    public SimulatedRequest {
        Objects.requireNonNull(method, "method");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first header of that name (without case), {@code Content-Type} included; {@code null} when absent. */
    public String header(String name) {
        return allHeaders().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** {@code webhookUrl} (the account's {@code /hooks/{processor}/{id}} URL) with this request's query. */
    public URI uri(URI webhookUrl) {
        return URI.create(rawQuery.isEmpty() ? webhookUrl.toString() : webhookUrl + "?" + rawQuery);
    }

    /** The request for {@link java.net.http.HttpClient}, sent to {@code webhookUrl} with this request's query. */
    public HttpRequest httpRequest(URI webhookUrl) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(webhookUrl));
        allHeaders().forEach(header -> builder.header(header.getKey(), header.getValue()));
        HttpRequest.BodyPublisher publisher = body.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body.clone());
        return builder.method(method, publisher).build();
    }

    /**
     * The notification a server would hand a driver for this request, for tests that call a driver directly.
     *
     * @param path       the request path, e.g. {@code /hooks/ccbill/6f1c…}
     * @param peer       the sender's address (see {@link SimulatedProcessor#sourceAddress()})
     * @param receivedAt when it arrived (the secret grace period is judged against it)
     */
    public Notification notification(String path, String peer, Instant receivedAt) {
        return new Notification(method, path, rawQuery, allHeaders(), body.clone(), peer, receivedAt);
    }

    /** The same request with other body bytes and the same headers (for tampering and garbage tests). */
    public SimulatedRequest withBody(byte[] otherBody) {
        return new SimulatedRequest(method, rawQuery, contentType, headers, otherBody);
    }

    /** The same request with another query string. */
    public SimulatedRequest withRawQuery(String otherQuery) {
        return new SimulatedRequest(method, otherQuery, contentType, headers, body);
    }

    private List<Map.Entry<String, String>> allHeaders() {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        if (contentType != null) {
            all.add(Map.entry("Content-Type", contentType));
        }
        all.addAll(headers);
        return all;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulatedRequest that && method.equals(that.method) && rawQuery.equals(that.rawQuery)
                && Objects.equals(contentType, that.contentType) && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, rawQuery, contentType, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "SimulatedRequest[" + method + (rawQuery.isEmpty() ? "" : " ?" + rawQuery)
                + (contentType == null ? "" : ", " + contentType) + ", headers=" + headers + ", body=" + shownBody() + "]";
    }

    private String shownBody() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return body.length + " bytes";
        }
    }
}
