package com.fanzfinance.platform.media;

import com.fanzfinance.platform.common.Problem;

/**
 * What a creator may keep: at most {@code maxBytes} over the sizes of their live assets and at most {@code
 * maxAssets} of them. Sizes count per asset, so a duplicate of bytes already stored (by anyone) still counts
 * for its uploader — the quota is about what a creator asks the platform to keep, not about the disk blocks.
 * Over it is 422 {@code quota-exceeded}.
 */
record Quota(long maxBytes, long maxAssets) {
    /** A creator's live assets: their count and the sum of their sizes. */
    record Usage(long bytes, long assets) {
    }

    /** The most bytes one more asset may have on top of {@code used} (0 when none may be added). */
    long remainingBytes(Usage used) {
        return used.assets() >= maxAssets ? 0 : Math.max(0, maxBytes - used.bytes());
    }

    /** 422 {@code quota-exceeded} unless one more asset of {@code size} bytes fits beside {@code used}. */
    void check(Usage used, long size) {
        if (used.assets() >= maxAssets) {
            throw exceeded(used, "a creator keeps at most " + maxAssets + " assets; delete some first");
        }
        if (size > maxBytes - used.bytes()) {
            throw exceeded(used, "a creator keeps at most " + maxBytes + " bytes of assets and " + used.bytes()
                + " are used; this upload needs " + size + " more");
        }
    }

    private Problem exceeded(Usage used, String detail) {
        return Problem.unprocessable("quota-exceeded", detail).with("quota_bytes", maxBytes)
            .with("used_bytes", used.bytes()).with("max_assets", maxAssets).with("assets", used.assets());
    }
}
