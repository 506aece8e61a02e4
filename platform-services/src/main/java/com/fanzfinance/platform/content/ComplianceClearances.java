package com.fanzfinance.platform.content;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceTokens;

/**
 * Asks the compliance service whether a creator's content may be published:
 * {@code GET {compliance}/v1/clearances?tenant=&creator=&content_ref=} with the content service's own service
 * token, answered {@code {"cleared": true|false, "reasons": […]}}. Anything short of such an answer — the
 * compliance or identity service unreachable, a non-200 status, an answer without {@code cleared} — is 503
 * {@code compliance-unavailable}: content is never published without a clearance.
 */
final class ComplianceClearances {
    private static final Logger LOG = LoggerFactory.getLogger(ComplianceClearances.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI complianceUrl;
    private final ServiceTokens tokens;
    private final HttpClient http;

    ComplianceClearances(URI complianceUrl, ServiceTokens tokens, HttpClient http) {
        this.complianceUrl = complianceUrl;
        this.tokens = tokens;
        this.http = http;
    }

    /** The compliance service's answer about {@code contentRef} of {@code creator} at {@code tenant}. */
    Clearance check(String tenant, String creator, String contentRef) {
        String token;
        try {
            token = tokens.token();
        } catch (RuntimeException e) {
            LOG.warn("no service token for the compliance check: {}", e.getMessage());
            throw unavailable("the content service cannot get its service token from the identity service");
        }
        URI uri = complianceUrl.resolve("/v1/clearances?tenant=" + encode(tenant) + "&creator=" + encode(creator)
            + "&content_ref=" + encode(contentRef));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
            .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warn("the compliance service answered HTTP {} to a clearance check", response.statusCode());
                throw unavailable("the compliance service answered HTTP " + response.statusCode());
            }
            JsonNode answer = Json.MAPPER.readTree(response.body());
            if (answer == null || !answer.path("cleared").isBoolean()) {
                throw unavailable("the compliance service's answer has no 'cleared'");
            }
            JsonNode reasons = answer.path("reasons").isArray() ? answer.get("reasons") : Json.MAPPER.createArrayNode();
            return new Clearance(answer.get("cleared").asBoolean(), reasons);
        } catch (IOException e) {
            LOG.warn("the compliance service cannot be reached: {}", e.toString());
            throw unavailable("the compliance service cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking the compliance service");
        }
    }

    private static Problem unavailable(String detail) {
        return Problem.unavailable("compliance-unavailable", detail + "; the post stays a draft", 5);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Whether the content is cleared, and the compliance service's reasons when it is not. */
    record Clearance(boolean cleared, JsonNode reasons) {
    }
}
