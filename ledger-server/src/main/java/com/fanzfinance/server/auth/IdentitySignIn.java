package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A person's password sign-in, forwarded to the identity service's token endpoint ({@code POST /oauth/token},
 * {@code grant_type=password}): the answer is its access token, or its refusal. The call waits at most
 * {@link #TIMEOUT} and reads at most {@link #MAX_BYTES} of the answer; redirects are not followed, so the password
 * goes nowhere but the configured endpoint. Neither the password nor the token is ever put in a message.
 */
public final class IdentitySignIn {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_BYTES = 64 * 1024;
    /** The longest refusal text of the identity service passed on to the caller. */
    static final int DESCRIPTION_MAX = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The identity service refused the sign-in; the description is its own, when short and printable. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        RefusedException(String description, long retryAfterSeconds) {
            super(description);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** When the identity service said to try again (a locked account), else 0. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final URI tokenUrl;
    private final HttpClient http;

    public IdentitySignIn(URI tokenUrl) {
        this.tokenUrl = tokenUrl;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The access token the identity service issues for {@code username} and {@code password} on {@code brand}.
     * Throws {@link RefusedException} when it refuses (an OAuth error, 4xx), and {@link IdentityUnavailableException}
     * when it cannot be reached, fails (5xx) or answers something unusable.
     */
    public String accessToken(String username, String password, String brand) {
        String form = "grant_type=password&username=" + encode(username) + "&password=" + encode(password) + "&tenant="
            + encode(brand);
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response;
        JsonNode answer;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            answer = readAnswer(response);
        } catch (IOException e) {
            throw new IdentityUnavailableException("the identity service's token endpoint cannot be reached: "
                + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityUnavailableException("interrupted while calling the identity service");
        }
        int status = response.statusCode();
        if (status == 200) {
            JsonNode token = answer == null ? null : answer.get("access_token");
            if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                throw new IdentityUnavailableException("the identity service answered 200 without an access_token");
            }
            return token.asText();
        }
        if (status >= 400 && status < 500 && answer != null && answer.path("error").isTextual()) {
            throw new RefusedException(description(answer.path("error_description")), retryAfter(response));
        }
        throw new IdentityUnavailableException("the identity service's token endpoint answered HTTP " + status);
    }

    /** The answer as JSON, or null when it is not JSON; an answer over the cap is a failure of the service. */
    private static JsonNode readAnswer(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IdentityUnavailableException("the identity service's answer is larger than " + MAX_BYTES
                    + " bytes");
            }
            try {
                JsonNode node = JSON.readTree(bytes);
                return node != null && node.isObject() ? node : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The identity service's own words when they are short printable text, else a plain refusal. */
    static String description(JsonNode text) {
        String plain = "the identity service refused the sign-in";
        if (!text.isTextual()) {
            return plain;
        }
        String description = text.asText();
        boolean printable = !description.isBlank() && description.codePoints()
            .allMatch(c -> c >= 0x20 && c != 0x7F && !Character.isISOControl(c) && Character.isDefined(c)
                && Character.getType(c) != Character.FORMAT);
        return printable && description.length() <= DESCRIPTION_MAX ? description : plain;
    }

    private static long retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || !value.matches("[0-9]{1,6}")) {
            return 0;
        }
        return Math.min(Long.parseLong(value), 3600);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
