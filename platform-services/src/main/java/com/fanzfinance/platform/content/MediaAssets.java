package com.fanzfinance.platform.content;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

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
 * the pointer {@code /media_asset_ids/<n>}. Any other answer — media or identity unreachable, a 403 (the
 * content service's key lacks {@code media:read}), a 5xx, an answer that is not an asset — is 503
 * {@code media-unavailable}: nothing is attached unchecked.
 */
final class MediaAssets {
    private static final Logger LOG = LoggerFactory.getLogger(MediaAssets.class);

    private final URI mediaUrl;
    private final ServiceCalls calls;

    MediaAssets(URI mediaUrl, ServiceCalls calls) {
        this.mediaUrl = mediaUrl;
        this.calls = calls;
    }

    /** 422 unless every one of {@code ids} is a live asset of {@code creator} at {@code tenant}. */
    void check(String tenant, String creator, List<UUID> ids) {
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            String pointer = "/media_asset_ids/" + i;
            HttpResponse<byte[]> response = calls.get(mediaUrl.resolve("/v1/assets/" + id), "media",
                MediaAssets::unavailable);
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
    }

    private static Problem invalid(String detail, String pointer) {
        return new Problem(422, "invalid-media-asset", "Unprocessable", detail, pointer);
    }

    private static Problem unavailable(String detail) {
        return Problem.unavailable("media-unavailable", detail + "; the post was not made", 5);
    }
}
