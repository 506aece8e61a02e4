package com.fanzfinance.platform.content;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;

/**
 * Checks the media assets a creator attaches to a post with the media service,
 * {@code GET {media}/v1/assets/{id}} with the content service's own service token (scope {@code media:read};
 * a 401 is retried once with a fresh token): each must exist and be live (the media service answers a deleted
 * asset as not found) and be the same creator's on the same brand, else 422 {@code invalid-media-asset} with
 * the pointer {@code /media_asset_ids/<n>} (the first such asset in the list). Any other answer — media or
 * identity unreachable, a 403 (the content service's key lacks {@code media:read}), a 5xx, an answer that is
 * not an asset — is 503 {@code media-unavailable}: nothing is attached unchecked. The checks of one post run
 * 8 at a time, all within one deadline of 10 s, past which the post is 503 {@code media-unavailable} too: a slow
 * media service holds a request for no longer than that.
 */
final class MediaAssets {
    private static final Logger LOG = LoggerFactory.getLogger(MediaAssets.class);
    private static final int CONCURRENCY = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final URI mediaUrl;
    private final ServiceCalls calls;
    private final Duration deadline;

    MediaAssets(URI mediaUrl, ServiceCalls calls) {
        this(mediaUrl, calls, DEADLINE);
    }

    MediaAssets(URI mediaUrl, ServiceCalls calls, Duration deadline) {
        this.mediaUrl = mediaUrl;
        this.calls = calls;
        this.deadline = deadline;
    }

    /** 422 unless every one of {@code ids} is a live asset of {@code creator} at {@code tenant}. */
    void check(String tenant, String creator, List<UUID> ids) {
        Checks checks = new Checks(ids, System.nanoTime() + deadline.toNanos());
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < Math.min(CONCURRENCY, ids.size()); i++) {
            lanes.add(lane(checks));
        }
        try {
            CompletableFuture.allOf(lanes.toArray(new CompletableFuture<?>[0]))
                .get(Math.max(0, checks.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            checks.stopped = true;
            LOG.warn("the media service did not answer {} asset checks within {}", ids.size(), deadline);
            throw pastDeadline();
        } catch (InterruptedException e) {
            checks.stopped = true;
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking the media service");
        } catch (ExecutionException e) {
            throw ServiceCalls.problem(e.getCause(), "media", MediaAssets::unavailable);
        }
        for (int i = 0; i < ids.size(); i++) {
            Outcome outcome = checks.outcomes.get(i);
            if (outcome == null) {
                throw pastDeadline();
            }
            if (outcome.problem() != null) {
                throw outcome.problem();
            }
            checkAnswer(tenant, creator, ids.get(i), i, outcome.response());
        }
    }

    /** The media service's answer to one check, or the problem of a check that got none. */
    private record Outcome(HttpResponse<byte[]> response, Problem problem) {
    }

    /**
     * The checks of one post: the ids, each one's outcome (none yet for a check not made before the deadline),
     * the next to start, and whether the caller gave up.
     */
    private static final class Checks {
        final List<UUID> ids;
        final long deadlineNanos;
        final AtomicReferenceArray<Outcome> outcomes;
        final AtomicInteger next = new AtomicInteger();
        volatile boolean stopped;

        Checks(List<UUID> ids, long deadlineNanos) {
            this.ids = ids;
            this.deadlineNanos = deadlineNanos;
            this.outcomes = new AtomicReferenceArray<>(ids.size());
        }
    }

    /** Checks the next id not yet started, then the next, until none is left (or the deadline passed). */
    private CompletableFuture<Void> lane(Checks checks) {
        int i = checks.next.getAndIncrement();
        long left = checks.deadlineNanos - System.nanoTime();
        if (i >= checks.ids.size() || checks.stopped || left <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return calls.getAsync(mediaUrl.resolve("/v1/assets/" + checks.ids.get(i)), "media", MediaAssets::unavailable,
                Duration.ofNanos(left))
            .handle((response, failure) -> {
                checks.outcomes.set(i, failure == null ? new Outcome(response, null)
                    : new Outcome(null, ServiceCalls.problem(failure, "media", MediaAssets::unavailable)));
                return null;
            })
            .thenCompose(ignored -> lane(checks));
    }

    private static void checkAnswer(String tenant, String creator, UUID id, int index, HttpResponse<byte[]> response) {
        String pointer = "/media_asset_ids/" + index;
        if (response.statusCode() == 404) {
            throw invalid("media asset " + id + " does not exist or was deleted", pointer);
        }
        if (response.statusCode() != 200) {
            LOG.warn("the media service answered HTTP {} to an asset check", response.statusCode());
            throw unavailable("the media service answered HTTP " + response.statusCode());
        }
        JsonNode asset;
        try {
            asset = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw unavailable("the media service's answer is not JSON");
        }
        if (asset == null || !id.toString().equals(asset.path("id").asText())) {
            throw unavailable("the media service's answer is not asset " + id);
        }
        if (!tenant.equals(asset.path("tenant").asText()) || !creator.equals(asset.path("creator").asText())) {
            throw invalid("media asset " + id + " is not one of your assets on this brand", pointer);
        }
    }

    private static Problem invalid(String detail, String pointer) {
        return new Problem(422, "invalid-media-asset", "Unprocessable", detail, pointer);
    }

    private Problem pastDeadline() {
        return unavailable("the media service did not answer the asset checks within " + deadline.toSeconds() + " s");
    }

    private static Problem unavailable(String detail) {
        return Problem.unavailable("media-unavailable", detail + "; the post was not made", 5);
    }
}
