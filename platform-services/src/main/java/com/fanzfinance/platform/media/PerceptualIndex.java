package com.fanzfinance.platform.media;

import static com.fanzfinance.platform.media.schema.Tables.PHASH_BANDS;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Finds assets whose pHash is within a Hamming distance of a given one without comparing against every
 * asset. Each pHash is cut into {@value #BANDS} bands — ten of 6 bits and one of the last 4 — stored as
 * {@code (band, value)} rows under a B-tree. Two hashes at distance d ≤ 10 differ in at most d bands, so by
 * the pigeonhole principle they agree on at least one of the 11: looking up the query's 11 (band, value)
 * pairs yields every asset within distance 10 (recall is guaranteed, which is why the distance setting stops
 * at {@value #MAX_DISTANCE}), and the exact distance is then checked in SQL on those candidates only.
 *
 * <p>The price of the guarantee is selectivity: a random hash shares a given 6-bit band with 1/64 of the
 * others, so a search reads about 11/64 ≈ 17% of the band rows' worth of candidates — some 17,000 index
 * entries among 100,000 assets, a few milliseconds in PostgreSQL. (Four 16-bit bands would read almost
 * nothing but miss many pairs at distance 4 or more, and stolen re-uploads that were recompressed or resized
 * are exactly those pairs.) Real pHashes are not uniform, so crowded band values cost more; well past a
 * million assets, multi-index hashing over more, longer bands with a second pass would be the next step.
 */
final class PerceptualIndex {
    static final int BANDS = 11;
    static final int MAX_DISTANCE = BANDS - 1;
    private static final int BAND_BITS = 6;

    private PerceptualIndex() {
    }

    /** An asset near another, its brand, and how near. */
    record Match(UUID assetId, String tenant, int distance) {
    }

    /** The value of band {@code band} (0–10) of {@code phash}: bits from the most significant, 6 per band, the last 4. */
    static int band(long phash, int band) {
        if (band < BANDS - 1) {
            return (int) ((phash >>> (64 - BAND_BITS * (band + 1))) & ((1 << BAND_BITS) - 1));
        }
        return (int) (phash & 0xf);
    }

    /** Indexes {@code phash} as the pHash of asset {@code id}. */
    static void add(DSLContext tx, UUID id, long phash) {
        var insert = tx.insertInto(PHASH_BANDS, PHASH_BANDS.BAND, PHASH_BANDS.VALUE, PHASH_BANDS.ASSET_ID);
        for (int band = 0; band < BANDS; band++) {
            insert = insert.values((short) band, (short) band(phash, band), id);
        }
        insert.execute();
    }

    /** Takes asset {@code id} out of the index. */
    static void remove(DSLContext tx, UUID id) {
        tx.deleteFrom(PHASH_BANDS).where(PHASH_BANDS.ASSET_ID.eq(id)).execute();
    }

    /**
     * The live assets of creators other than {@code creator} (any brand) whose pHash is within {@code
     * maxDistance} of {@code phash}, nearest first (then oldest), at most {@code limit}; {@code except}, when
     * not null, is left out.
     */
    static List<Match> near(DSLContext tx, long phash, int maxDistance, String creator, UUID except, int limit) {
        if (maxDistance > MAX_DISTANCE) {
            throw new IllegalArgumentException("the band index guarantees recall only up to distance " + MAX_DISTANCE);
        }
        Condition anyBand = DSL.falseCondition();
        for (int band = 0; band < BANDS; band++) {
            anyBand = anyBand.or(PHASH_BANDS.BAND.eq((short) band).and(PHASH_BANDS.VALUE.eq((short) band(phash, band))));
        }
        String candidates = tx.renderInlined(DSL.selectDistinct(PHASH_BANDS.ASSET_ID).from(PHASH_BANDS).where(anyBand));
        List<Match> matches = new ArrayList<>();
        tx.resultQuery("""
            SELECT id, tenant, distance FROM (
                SELECT a.id, a.tenant, a.seq, length(replace(((a.phash # ?::bigint)::bit(64))::text, '0', '')) AS distance
                FROM assets a
                WHERE a.id IN (%s) AND a.deleted IS NULL AND a.creator <> ?::text AND a.id IS DISTINCT FROM ?::uuid
            ) c
            WHERE distance <= ?::int
            ORDER BY distance, seq
            LIMIT ?::int""".formatted(candidates), phash, creator, except, maxDistance, limit)
            .forEach(row -> matches.add(new Match(row.get(0, UUID.class), row.get(1, String.class),
                row.get(2, Integer.class))));
        return matches;
    }
}
