package com.fanzfinance.platform.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A platform service's own access token, from the identity service's token endpoint with its service key
 * (OAuth 2.0 client credentials: {@code client_id} = the service's name, {@code client_secret} = its key).
 * Cached until a minute before it expires. The key is never logged or put into an error.
 */
public final class ServiceTokens {
    private final URI tokenEndpoint;
    private final String service;
    private final String serviceKey;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.EPOCH;

    public ServiceTokens(URI identityUrl, String service, String serviceKey, HttpClient http, Clock clock) {
        this.tokenEndpoint = identityUrl.resolve("/oauth/token");
        this.service = service;
        this.serviceKey = serviceKey;
        this.http = http;
        this.clock = clock;
    }

    /** A valid token for calls to the other services. */
    public synchronized String token() {
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
            + "&client_secret=" + URLEncoder.encode(serviceKey, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the identity service refused service '" + service + "' a token: HTTP "
                    + response.statusCode());
            }
            JsonNode answer = Json.MAPPER.readTree(response.body());
            token = answer.path("access_token").asText();
            long expiresIn = answer.path("expires_in").asLong(60);
            refreshAt = clock.instant().plusSeconds(Math.max(1, expiresIn - 60));
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("the identity service cannot be reached for a service token", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting a service token", e);
        }
    }

    @Override
    public String toString() {
        return "ServiceTokens[" + service + " at " + tokenEndpoint + "]";
    }
}
