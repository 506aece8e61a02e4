package com.fanzfinance.platform.media;

import static com.fanzfinance.platform.media.schema.Tables.ASSETS;
import static com.fanzfinance.platform.media.schema.Tables.ASSET_LINKS;
import static com.fanzfinance.platform.media.schema.Tables.ASSET_SIMILAR;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import com.fanzfinance.platform.media.schema.tables.records.AssetsRecord;

/**
 * The assets' rows and files kept in step. Everything that decides whether a content's file must exist —
 * storing an upload, and removing the file once no live asset has its SHA-256 — runs under a PostgreSQL
 * advisory lock on that SHA-256, so a deletion can never remove the file of an upload of the same bytes
 * committing at the same moment. (A crash between storing and committing leaves a file no row names: it is
 * harmless and is reused by the next upload of those bytes.) A creator's {@link Quota} is checked again when
 * the upload is recorded, under an advisory lock on the creator, so that uploads by one creator through
 * several service instances cannot together pass it.
 */
final class Assets {
    static final String CONTENT = "content";
    static final String PERFORMER = "performer";
    static final int SIMILAR_LIMIT = 100;
    /** The first key of the two-key advisory locks on creators (a key space apart from the content locks). */
    private static final int CREATOR_LOCK = 0x6d656469;

    private final DSLContext dsl;
    private final AssetStorage storage;

    Assets(DSLContext dsl, AssetStorage storage) {
        this.dsl = dsl;
        this.storage = storage;
    }

    /** A new asset's upload as received and inspected. */
    record Upload(String tenant, String creator, String filename, String contentType, long size, String sha256,
                  MediaInspector.Facts facts) {
    }

    /**
     * Records {@code upload} (its file {@code temp} is taken over by the storage): {@code duplicate_of} is
     * the oldest live asset of the brand with the same bytes, {@code similar} other creators' assets within
     * {@code maxDistance} of its pHash (then it is marked for review). 422 {@code quota-exceeded}, with
     * nothing stored, when it does not fit in the creator's {@code quota}.
     */
    Asset create(Upload upload, Path temp, int maxDistance, Quota quota) {
        UUID id = UUID.randomUUID();
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.execute("SELECT pg_advisory_xact_lock(?::int, ?::int)", CREATOR_LOCK, upload.creator().hashCode());
            quota.check(usage(tx, upload.creator()), upload.size());
            lockContent(tx, upload.sha256());
            storage.put(upload.sha256(), temp);
            UUID duplicateOf = tx.select(ASSETS.ID).from(ASSETS)
                .where(ASSETS.TENANT.eq(upload.tenant()), ASSETS.SHA256.eq(upload.sha256()), ASSETS.DELETED.isNull())
                .orderBy(ASSETS.SEQ).limit(1).fetchOne(ASSETS.ID);
            Long phash = upload.facts().phash();
            List<PerceptualIndex.Match> similar = phash == null ? List.of()
                : PerceptualIndex.near(tx, phash, maxDistance, upload.creator(), null, SIMILAR_LIMIT);
            tx.insertInto(ASSETS).set(ASSETS.ID, id).set(ASSETS.TENANT, upload.tenant())
                .set(ASSETS.CREATOR, upload.creator()).set(ASSETS.FILENAME, upload.filename())
                .set(ASSETS.CONTENT_TYPE, upload.contentType()).set(ASSETS.SIZE, upload.size())
                .set(ASSETS.SHA256, upload.sha256()).set(ASSETS.PHASH, phash)
                .set(ASSETS.DHASH, upload.facts().dhash()).set(ASSETS.WIDTH, upload.facts().width())
                .set(ASSETS.HEIGHT, upload.facts().height()).set(ASSETS.DUPLICATE_OF, duplicateOf)
                .set(ASSETS.REVIEW, similar.isEmpty() ? null : Asset.POSSIBLE_REUPLOAD)
                .set(ASSETS.CREATED, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .execute();
            for (PerceptualIndex.Match match : similar) {
                tx.insertInto(ASSET_SIMILAR).set(ASSET_SIMILAR.ASSET_ID, id).set(ASSET_SIMILAR.SIMILAR_ID, match.assetId())
                    .set(ASSET_SIMILAR.DISTANCE, match.distance()).execute();
            }
            if (phash != null) {
                PerceptualIndex.add(tx, id, phash);
            }
        });
        return find(id).orElseThrow();
    }

    /** {@code creator}'s live assets, every brand's. */
    Quota.Usage usage(String creator) {
        return usage(dsl, creator);
    }

    private static Quota.Usage usage(DSLContext ctx, String creator) {
        Record live = ctx.select(DSL.coalesce(DSL.sum(ASSETS.SIZE), java.math.BigDecimal.ZERO), DSL.count())
            .from(ASSETS).where(ASSETS.CREATOR.eq(creator), ASSETS.DELETED.isNull()).fetchOne();
        return new Quota.Usage(live.get(0, Long.class), live.get(1, Long.class));
    }

    /** The live asset {@code id}. */
    Optional<Asset> find(UUID id) {
        AssetsRecord row = dsl.selectFrom(ASSETS).where(ASSETS.ID.eq(id), ASSETS.DELETED.isNull()).fetchOne();
        return row == null ? Optional.empty() : Optional.of(complete(List.of(row)).get(0));
    }

    /** A page of live assets of {@code tenant} after {@code afterSeq}, in creation order, with the filters that are not null. */
    List<Asset> list(String tenant, String creator, String contentRef, UUID performerRecordId, long afterSeq, int limit) {
        List<Condition> where = new ArrayList<>(List.of(ASSETS.TENANT.eq(tenant), ASSETS.DELETED.isNull(),
            ASSETS.SEQ.gt(afterSeq)));
        if (creator != null) {
            where.add(ASSETS.CREATOR.eq(creator));
        }
        if (contentRef != null) {
            where.add(linked(CONTENT, contentRef));
        }
        if (performerRecordId != null) {
            where.add(linked(PERFORMER, performerRecordId.toString()));
        }
        return complete(dsl.selectFrom(ASSETS).where(where).orderBy(ASSETS.SEQ).limit(limit).fetch());
    }

    private static Condition linked(String kind, String ref) {
        return DSL.exists(DSL.selectOne().from(ASSET_LINKS).where(ASSET_LINKS.ASSET_ID.eq(ASSETS.ID),
            ASSET_LINKS.KIND.eq(kind), ASSET_LINKS.REF.eq(ref)));
    }

    /** Replaces the links of asset {@code id}. */
    Asset replaceLinks(UUID id, List<String> contentRefs, List<UUID> performerRecordIds) {
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.deleteFrom(ASSET_LINKS).where(ASSET_LINKS.ASSET_ID.eq(id)).execute();
            insertLinks(tx, id, CONTENT, contentRefs);
            insertLinks(tx, id, PERFORMER, performerRecordIds.stream().map(UUID::toString).toList());
        });
        return find(id).orElseThrow();
    }

    private static void insertLinks(DSLContext tx, UUID id, String kind, List<String> refs) {
        for (int i = 0; i < refs.size(); i++) {
            tx.insertInto(ASSET_LINKS).set(ASSET_LINKS.ASSET_ID, id).set(ASSET_LINKS.KIND, kind)
                .set(ASSET_LINKS.REF, refs.get(i)).set(ASSET_LINKS.POSITION, i).execute();
        }
    }

    /** Other creators' live assets within {@code maxDistance} of {@code asset}'s pHash now. */
    List<PerceptualIndex.Match> similarNow(Asset asset, int maxDistance) {
        if (asset.phash() == null) {
            return List.of();
        }
        return PerceptualIndex.near(dsl, asset.phash(), maxDistance, asset.creator(), asset.id(), SIMILAR_LIMIT);
    }

    /**
     * Marks {@code asset} deleted and takes it out of the similarity index; then, under the content's lock,
     * removes the file when no live asset has its SHA-256 any more.
     */
    void delete(Asset asset) throws IOException {
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.update(ASSETS).set(ASSETS.DELETED, OffsetDateTime.now(ZoneOffset.UTC))
                .where(ASSETS.ID.eq(asset.id()), ASSETS.DELETED.isNull()).execute();
            PerceptualIndex.remove(tx, asset.id());
        });
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            lockContent(tx, asset.sha256());
            if (!tx.fetchExists(ASSETS, ASSETS.SHA256.eq(asset.sha256()), ASSETS.DELETED.isNull())) {
                storage.delete(asset.sha256());
            }
        });
    }

    private static void lockContent(DSLContext tx, String sha256) {
        tx.execute("SELECT pg_advisory_xact_lock(?)", Long.parseUnsignedLong(sha256.substring(0, 16), 16));
    }

    /** The rows as assets, with their links and recorded near-duplicates (one query each for the whole page). */
    private List<Asset> complete(Collection<AssetsRecord> rows) {
        List<UUID> ids = rows.stream().map(AssetsRecord::getId).toList();
        Map<UUID, List<String>> contentRefs = new HashMap<>();
        Map<UUID, List<UUID>> performers = new HashMap<>();
        Map<UUID, List<PerceptualIndex.Match>> similar = new HashMap<>();
        if (!ids.isEmpty()) {
            for (Record link : dsl.select(ASSET_LINKS.ASSET_ID, ASSET_LINKS.KIND, ASSET_LINKS.REF).from(ASSET_LINKS)
                .where(ASSET_LINKS.ASSET_ID.in(ids)).orderBy(ASSET_LINKS.ASSET_ID, ASSET_LINKS.POSITION).fetch()) {
                UUID id = link.get(ASSET_LINKS.ASSET_ID);
                if (CONTENT.equals(link.get(ASSET_LINKS.KIND))) {
                    contentRefs.computeIfAbsent(id, k -> new ArrayList<>()).add(link.get(ASSET_LINKS.REF));
                } else {
                    performers.computeIfAbsent(id, k -> new ArrayList<>()).add(UUID.fromString(link.get(ASSET_LINKS.REF)));
                }
            }
            for (Record match : dsl.select(ASSET_SIMILAR.ASSET_ID, ASSET_SIMILAR.SIMILAR_ID, ASSETS.TENANT,
                    ASSET_SIMILAR.DISTANCE)
                .from(ASSET_SIMILAR).join(ASSETS).on(ASSETS.ID.eq(ASSET_SIMILAR.SIMILAR_ID))
                .where(ASSET_SIMILAR.ASSET_ID.in(ids))
                .orderBy(ASSET_SIMILAR.ASSET_ID, ASSET_SIMILAR.DISTANCE, ASSET_SIMILAR.SIMILAR_ID).fetch()) {
                similar.computeIfAbsent(match.get(ASSET_SIMILAR.ASSET_ID), k -> new ArrayList<>())
                    .add(new PerceptualIndex.Match(match.get(ASSET_SIMILAR.SIMILAR_ID), match.get(ASSETS.TENANT),
                        match.get(ASSET_SIMILAR.DISTANCE)));
            }
        }
        List<Asset> assets = new ArrayList<>();
        for (AssetsRecord row : rows) {
            UUID id = row.getId();
            assets.add(new Asset(id, row.getSeq(), row.getTenant(), row.getCreator(), row.getFilename(),
                row.getContentType(), row.getSize(), row.getSha256(), row.getPhash(), row.getDhash(), row.getWidth(),
                row.getHeight(), row.getDuplicateOf(), row.getReview(), similar.getOrDefault(id, List.of()),
                contentRefs.getOrDefault(id, List.of()), performers.getOrDefault(id, List.of()),
                row.getCreated().toInstant()));
        }
        return assets;
    }
}
