package com.fanzfinance.platform.media;

import static com.fanzfinance.platform.media.schema.Tables.ASSETS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.testing.PlatformTestDatabase;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The band index: its bands cover every bit once, two hashes within distance 10 always share a band (so
 * the lookup misses none), and in PostgreSQL among 100,000 assets it finds exactly the assets within the
 * distance of other creators, through the band index rather than a scan of every asset.
 */
class PerceptualIndexTest {
    @Property
    void hashesWithinTenBitsShareABand(@ForAll long hash, @ForAll @IntRange(min = 0, max = 10) int flips,
                                       @ForAll long seed) {
        Random random = new Random(seed);
        long other = hash;
        Set<Integer> bits = new HashSet<>();
        while (bits.size() < flips) {
            bits.add(random.nextInt(64));
        }
        for (int bit : bits) {
            other ^= 1L << bit;
        }
        boolean shared = false;
        for (int band = 0; band < PerceptualIndex.BANDS; band++) {
            shared |= PerceptualIndex.band(hash, band) == PerceptualIndex.band(other, band);
        }
        assertThat(shared).isTrue();
    }

    @Property
    void theBandsCoverEveryBitOnce(@ForAll long hash) {
        long rebuilt = 0;
        for (int band = 0; band < PerceptualIndex.BANDS - 1; band++) {
            rebuilt |= (long) PerceptualIndex.band(hash, band) << (58 - 6 * band);
        }
        rebuilt |= PerceptualIndex.band(hash, PerceptualIndex.BANDS - 1);
        assertThat(rebuilt).isEqualTo(hash);
    }

    @Test
    void amongAHundredThousandAssetsTheIndexFindsExactlyTheNearOnes() {
        String prefix = PlatformTestDatabase.freshPrefix();
        PlatformSettings settings = new PlatformSettings(PlatformTestDatabase.settings(prefix));
        try (ServiceDatabase database = ServiceDatabase.open(settings.database(), PlatformSettings.MEDIA, 2)) {
            DSLContext dsl = database.dsl();
            // 100,000 assets with pseudo-random hashes (from MD5), their bands computed in SQL
            dsl.execute("""
                INSERT INTO assets (id, tenant, creator, filename, content_type, size, sha256, phash, created)
                SELECT md5('asset' || n)::uuid, 'girlfanz', 'crowd-' || (n % 50), 'f', 'image/png', 1,
                       lpad(to_hex(n), 64, '0'), ('x' || substr(md5(n::text), 1, 16))::bit(64)::bigint, now()
                FROM generate_series(1, 100000) AS n""");
            dsl.execute("""
                INSERT INTO phash_bands (band, value, asset_id)
                SELECT b, CASE WHEN b < 10 THEN (phash >> (58 - 6 * b)) & 63 ELSE phash & 15 END, id
                FROM assets, generate_series(0, 10) AS b
                ORDER BY 1, 2, 3""");
            long query = 0x5a5a_1234_9876_f0f0L;
            UUID atTen = insert(dsl, "thief", query ^ 0x8421_0842_1084_0000L, "near");
            UUID atThree = insert(dsl, "thief", query ^ 0b10101L, "nearer");
            UUID atEleven = insert(dsl, "thief", query ^ 0x8421_0842_1084_2000L, "too far");
            UUID own = insert(dsl, "owner", query, "own");
            dsl.execute("ANALYZE assets");
            dsl.execute("ANALYZE phash_bands");
            assertThat(ImageHashes.distance(query, query ^ 0x8421_0842_1084_0000L)).isEqualTo(10);
            assertThat(ImageHashes.distance(query, query ^ 0x8421_0842_1084_2000L)).isEqualTo(11);

            List<PerceptualIndex.Match> near = PerceptualIndex.near(dsl, query, 10, "owner", null, 100);
            assertThat(near).containsExactly(new PerceptualIndex.Match(atThree, "boyfanz", 3),
                new PerceptualIndex.Match(atTen, "boyfanz", 10));
            assertThat(near).extracting(PerceptualIndex.Match::assetId).doesNotContain(atEleven, own);
            assertThat(PerceptualIndex.near(dsl, query, 3, "owner", null, 100)).extracting(PerceptualIndex.Match::assetId)
                .containsExactly(atThree);
            assertThat(PerceptualIndex.near(dsl, query, 10, "owner", atThree, 100)).extracting(PerceptualIndex.Match::assetId)
                .containsExactly(atTen);

            String plan = String.join("\n", dsl.fetch("EXPLAIN SELECT asset_id FROM phash_bands WHERE band = 3 AND value = 17")
                .getValues(0, String.class));
            assertThat(plan).contains("phash_bands_pkey").doesNotContain("Seq Scan");
        } finally {
            PlatformTestDatabase.drop(prefix);
        }
    }

    private static UUID insert(DSLContext dsl, String creator, long phash, String filename) {
        UUID id = UUID.randomUUID();
        dsl.insertInto(ASSETS).set(ASSETS.ID, id).set(ASSETS.TENANT, "boyfanz").set(ASSETS.CREATOR, creator)
            .set(ASSETS.FILENAME, filename).set(ASSETS.CONTENT_TYPE, "image/png").set(ASSETS.SIZE, 1L)
            .set(ASSETS.SHA256, "f".repeat(64)).set(ASSETS.PHASH, phash).set(ASSETS.CREATED, OffsetDateTime.now())
            .execute();
        PerceptualIndex.add(dsl, id, phash);
        return id;
    }
}
