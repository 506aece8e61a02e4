package com.fanzfinance.platform.media;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One uploaded asset as the service answers it: who uploaded what into which brand, its checksum and
 * perceptual hashes, what it duplicates or resembles, and what it is linked to. Near-duplicates are searched
 * in every brand (a stolen picture is re-uploaded elsewhere), but a person — the creator or the brand's staff —
 * sees another brand's match only as {@code {"tenant_hidden": true, "distance"}}: that it exists and how near
 * it is, never the other brand's asset id; platform services with {@code media:read} see every id.
 */
record Asset(UUID id, long seq, String tenant, String creator, String filename, String contentType, long size,
             String sha256, Long phash, Long dhash, Integer width, Integer height, UUID duplicateOf, String review,
             List<PerceptualIndex.Match> similar, List<String> contentRefs, List<UUID> performerRecordIds,
             Instant created) {
    /** {@code review} of an asset near another creator's. */
    static final String POSSIBLE_REUPLOAD = "possible-reupload";

    Asset {
        similar = List.copyOf(similar);
        contentRefs = List.copyOf(contentRefs);
        performerRecordIds = List.copyOf(performerRecordIds);
    }

    /**
     * The JSON representation (hashes as 16 hex digits); other brands' matches with their ids only when
     * {@code otherBrandsVisible}.
     */
    Map<String, Object> json(boolean otherBrandsVisible) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id.toString());
        doc.put("tenant", tenant);
        doc.put("creator", creator);
        doc.put("filename", filename);
        doc.put("content_type", contentType);
        doc.put("size", size);
        doc.put("sha256", sha256);
        doc.put("phash", phash == null ? null : ImageHashes.hex(phash));
        doc.put("dhash", dhash == null ? null : ImageHashes.hex(dhash));
        doc.put("width", width);
        doc.put("height", height);
        doc.put("duplicate_of", duplicateOf == null ? null : duplicateOf.toString());
        doc.put("review", review);
        doc.put("similar", similar.stream().map(match -> matchJson(match, otherBrandsVisible)).toList());
        doc.put("content_refs", contentRefs);
        doc.put("performer_record_ids", performerRecordIds.stream().map(UUID::toString).toList());
        doc.put("created", created.toString());
        return doc;
    }

    /** A match near this asset: another brand's without its id unless {@code otherBrandsVisible}. */
    Map<String, Object> matchJson(PerceptualIndex.Match match, boolean otherBrandsVisible) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (otherBrandsVisible || match.tenant().equals(tenant)) {
            doc.put("asset_id", match.assetId().toString());
        } else {
            doc.put("tenant_hidden", true);
        }
        doc.put("distance", match.distance());
        return doc;
    }
}
