package com.fanzfinance.platform.content;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;

/**
 * Asks the compliance service whether a creator's content may be published:
 * {@code GET {compliance}/v1/clearances?tenant=&creator=&content_ref=} with the content service's own service
 * token (a 401 is retried once with a fresh token), answered {@code {"cleared": true|false, "reasons": […]}}.
 * Anything short of such an answer — the compliance or identity service unreachable, a non-200 status, an
 * answer without {@code cleared} — is 503 {@code compliance-unavailable}: content is never published without
 * a clearance.
 */
final class ComplianceClearances {
    private static final Logger LOG = LoggerFactory.getLogger(ComplianceClearances.class);

    private final URI complianceUrl;
    private final ServiceCalls calls;

    ComplianceClearances(URI complianceUrl, ServiceCalls calls) {
        this.complianceUrl = complianceUrl;
        this.calls = calls;
    }

    /** The compliance service's answer about {@code contentRef} of {@code creator} at {@code tenant}. */
    Clearance check(String tenant, String creator, String contentRef) {
        URI uri = complianceUrl.resolve("/v1/clearances?tenant=" + encode(tenant) + "&creator=" + encode(creator)
            + "&content_ref=" + encode(contentRef));
        HttpResponse<byte[]> response = calls.get(uri, "compliance", ComplianceClearances::unavailable);
        if (response.statusCode() != 200) {
            LOG.warn("the compliance service answered HTTP {} to a clearance check", response.statusCode());
            throw unavailable("the compliance service answered HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw unavailable("the compliance service's answer is not JSON");
        }
        if (answer == null || !answer.path("cleared").isBoolean()) {
            throw unavailable("the compliance service's answer has no 'cleared'");
        }
        JsonNode reasons = answer.path("reasons").isArray() ? answer.get("reasons") : Json.MAPPER.createArrayNode();
        return new Clearance(answer.get("cleared").asBoolean(), reasons);
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
