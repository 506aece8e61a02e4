package com.fanzfinance.platform.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Hashes;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.PlatformService;
import com.fanzfinance.platform.common.ServiceApp;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.TokenVerifier;
import com.fanzfinance.platform.common.Uuids;

import io.javalin.http.Context;

/**
 * The media service: creators upload pictures and videos, which are stored once per content (SHA-256) and
 * fingerprinted, so that the same bytes uploaded again in a brand are recognised ({@code duplicate_of}) and a
 * picture that looks like another creator's (pHash within {@code FANZ_MEDIA_SIMILAR_DISTANCE}, any brand) is
 * flagged {@code possible-reupload} for review — stolen content re-uploaded by someone else. Assets are
 * linked to the posts that use them and to the compliance service's 2257 records of the performers in them.
 *
 * <p>Who may do what: creators upload into their own brand; an asset is read by its creator, the brand's
 * staff or admins and platform services with scope {@code media:read}; it is changed (links) and deleted by
 * its creator, the brand's staff or admins and services with {@code media:write}. Another brand's asset is not
 * found; another brand's near-duplicate is shown to people without its id (see {@link Asset}). Every route
 * refuses query parameters it does not take (400 {@code unknown-parameter}, {@code pointer} {@code ?name}).
 *
 * <p>Creator sign-up is self-serve, so uploads are bounded beyond their size: a creator's {@link Quota} (422
 * {@code quota-exceeded}: checked before the body is read when its length is declared, while it streams, and
 * again when it is recorded), one upload at a time per creator and a few in the service ({@link UploadGate},
 * 429 {@code too-many-uploads}), a minimum rate so that a slot is not held by a dribbling client (408
 * {@code upload-too-slow}, see {@link UploadBody}), and enough free disk left (507 {@code insufficient-storage},
 * also when a write finds the disk full). A client that goes away mid-body is 400 {@code upload-interrupted}
 * (logged at debug). Whatever ends an upload, its slot and staging file are given back.
 *
 * <p>Settings: {@code FANZ_MEDIA_MAX_BYTES} (largest upload, default 256 MiB; the body is streamed to disk,
 * never held in memory), {@code FANZ_MEDIA_QUOTA_BYTES} (a creator's live assets' sizes, default 10 GiB),
 * {@code FANZ_MEDIA_MAX_ASSETS} (a creator's live assets, default 100,000), {@code
 * FANZ_MEDIA_MAX_CONCURRENT_UPLOADS} (default 4), {@code FANZ_MEDIA_UPLOAD_MIN_BYTES_PER_SECOND} (default 64 KiB;
 * 0: none) measured after {@code FANZ_MEDIA_UPLOAD_GRACE_SECONDS} (default 10), {@code FANZ_MEDIA_MIN_FREE_BYTES}
 * (free space an upload must leave, default 1 GiB), {@code FANZ_MEDIA_SIMILAR_DISTANCE} (0–10, default 10), {@code FANZ_MEDIA_MAX_PIXELS}
 * (largest image, default 100 million pixels); files live under {@code <FANZ_PLATFORM_DATA>/media}.
 */
public final class MediaService implements PlatformService {
    private static final Logger LOG = LoggerFactory.getLogger(MediaService.class);
    static final String READ_SCOPE = "media:read";
    static final String WRITE_SCOPE = "media:write";
    /** A kind of 1–15 letters and an id of 1–64 characters: at most 80, within the 128 of {@code asset_links.ref}. */
    private static final Pattern CONTENT_REF = Pattern.compile("[a-z]{1,15}:[A-Za-z0-9._:@-]{1,64}");
    /** How much of a body refused as too large is read and dropped, and for how long, before the answer. */
    private static final long DISCARD_BYTES_MAX = 16L << 20;
    private static final long DISCARD_NANOS_MAX = TimeUnit.SECONDS.toNanos(10);
    /** Refused bodies read and dropped at once, at most (beyond it, the connection is closed instead). */
    private static final int DISCARDS_MAX = 8;
    private static final int FILENAME_MAX = 255;
    private static final int CONTENT_REFS_MAX = 100;
    private static final int PERFORMERS_MAX = 50;
    private static final int LIMIT_MAX = 1000;
    private static final int LIMIT_DEFAULT = 100;

    private final ServiceDatabase database;
    private final LocalFileStorage storage;
    private final Assets assets;
    private final MediaInspector inspector;
    private final TokenVerifier tokens;
    private final long maxBytes;
    private final Quota quota;
    private final UploadGate gate;
    private final UploadBody body;
    private final Semaphore discards = new Semaphore(DISCARDS_MAX);
    private final long minFreeBytes;
    private final int similarDistance;
    private final ServiceApp app;

    private MediaService(PlatformSettings settings, ServiceDatabase database, LocalFileStorage storage) {
        this.database = database;
        this.storage = storage;
        this.assets = new Assets(database.dsl(), storage);
        this.maxBytes = settings.getLong("FANZ_MEDIA_MAX_BYTES", 256L << 20, 1, 64L << 30);
        this.quota = new Quota(settings.getLong("FANZ_MEDIA_QUOTA_BYTES", 10L << 30, 1, 1L << 50),
            settings.getLong("FANZ_MEDIA_MAX_ASSETS", 100_000, 1, 100_000_000));
        this.gate = new UploadGate((int) settings.getLong("FANZ_MEDIA_MAX_CONCURRENT_UPLOADS", 4, 1, 1000));
        this.body = new UploadBody(settings.getLong("FANZ_MEDIA_UPLOAD_MIN_BYTES_PER_SECOND", 64 << 10, 0, 1L << 30),
            TimeUnit.SECONDS.toNanos(settings.getLong("FANZ_MEDIA_UPLOAD_GRACE_SECONDS", 10, 0, 3600)), System::nanoTime);
        this.minFreeBytes = settings.getLong("FANZ_MEDIA_MIN_FREE_BYTES", 1L << 30, 0, 1L << 60);
        this.similarDistance = (int) settings.getLong("FANZ_MEDIA_SIMILAR_DISTANCE", PerceptualIndex.MAX_DISTANCE, 0,
            PerceptualIndex.MAX_DISTANCE);
        this.inspector = new MediaInspector(settings.getLong("FANZ_MEDIA_MAX_PIXELS", 100_000_000, 1, 1_000_000_000));
        this.tokens = TokenVerifier.remote(settings.url(PlatformSettings.IDENTITY), settings.issuer());
        // JSON bodies are held by the shared limit; uploads are streamed past it (bodyInputStream is not capped).
        this.app = new ServiceApp(PlatformSettings.MEDIA, settings.host(), settings.port(PlatformSettings.MEDIA),
            settings.maxBodyBytes(), routes -> {
                routes.post("/v1/assets", this::upload);
                routes.get("/v1/assets", this::list);
                routes.get("/v1/assets/{id}", this::get);
                routes.delete("/v1/assets/{id}", this::delete);
                routes.put("/v1/assets/{id}/links", this::putLinks);
                routes.get("/v1/assets/{id}/content", this::content);
                routes.get("/v1/assets/{id}/similar", this::similar);
            });
    }

    /** Migrates the media schema, opens the storage and starts listening. */
    public static MediaService start(PlatformSettings settings) {
        ServiceDatabase database = ServiceDatabase.open(settings.database(), PlatformSettings.MEDIA, 8);
        try {
            LocalFileStorage storage = new LocalFileStorage(settings.dataDirectory().resolve("media"));
            MediaService service = new MediaService(settings, database, storage);
            service.app.start();
            return service;
        } catch (IOException e) {
            database.close();
            throw new UncheckedIOException("cannot open the media storage", e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public ServiceApp app() {
        return app;
    }

    @Override
    public void close() {
        app.close();
        database.close();
    }

    private void upload(Context ctx) throws IOException {
        allowOnlyParameters(ctx, "tenant", "filename");
        Caller caller = tokens.caller(ctx);
        String tenant = requiredParameter(ctx, "tenant", Json.SLUG, "a brand slug");
        caller.requireRole(Caller.CREATOR);
        if (!caller.tenant().equals(tenant)) {
            throw Problem.forbidden("creators upload only into their own brand");
        }
        String filename = filename(ctx);
        String contentType = contentType(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            discardRefusedBody(ctx, declared, false);
            throw tooLarge();
        }
        String creator = caller.subject();
        try (UploadGate.Ticket ticket = gate.enter(creator)) {
            Quota.Usage used = assets.usage(creator);
            quota.check(used, Math.max(declared, 1));
            long allowed = Math.min(maxBytes, quota.remainingBytes(used));
            ticket.reserve(declared >= 0 ? declared : allowed);
            requireFreeSpace();
            Path temp;
            try {
                temp = storage.newStagingFile();
            } catch (IOException e) {
                throw UploadBody.unlessOutOfSpace(e);
            }
            try {
                MessageDigest sha256 = Hashes.sha256();
                long size;
                try (InputStream in = ctx.bodyInputStream(); OutputStream out = Files.newOutputStream(temp)) {
                    size = body.copy(in, out, sha256, received -> {
                        if (received > maxBytes) {
                            throw tooLarge();
                        }
                        if (received > allowed) {
                            quota.check(used, received);
                        }
                    });
                }
                if (size == 0) {
                    throw Problem.badRequest("empty-body", "the body must be the file's bytes", null);
                }
                MediaInspector.Facts facts = inspector.inspect(temp, contentType);
                Asset asset = assets.create(new Assets.Upload(tenant, creator, filename, contentType, size,
                    Hashes.hex(sha256.digest()), facts), temp, similarDistance, quota);
                ctx.header("Location", "/v1/assets/" + asset.id());
                Json.answer(ctx, 201, asset.json(otherBrandsVisible(caller)));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (Problem refused) {
            if (refused.status() == 413) {
                // Refused mid-body (the only 413 in here), after the upload's slot is given back: only dropped.
                discardRefusedBody(ctx, declared, true);
            }
            throw refused;
        }
    }

    /**
     * 507 {@code insufficient-storage} when the data folder's free space, less what the uploads in flight
     * (this one included) may still write, would go under {@code FANZ_MEDIA_MIN_FREE_BYTES}.
     */
    private void requireFreeSpace() throws IOException {
        long usable = Files.getFileStore(storage.root()).getUsableSpace();
        if (usable - gate.reserved() < minFreeBytes) {
            throw UploadBody.insufficientStorage("the media storage is nearly full; uploads are refused until "
                + "space is freed");
        }
    }

    /**
     * Reads and drops the rest of a body refused as too large ({@code declared} bytes, or -1 if it declared none;
     * {@code started}: part of it was read already), so that the client, still sending, reads the 413 rather than a
     * connection reset because bytes were left unread in it — up to {@link #DISCARD_BYTES_MAX} and
     * {@link #DISCARD_NANOS_MAX} (plus one idle timeout for a read that blocks), at the upload's minimum rate, and at
     * most {@link #DISCARDS_MAX} at once. Not for a client that asked before sending and was not invited yet
     * ({@code Expect: 100-continue}: reading would invite the body; it gets the 413 instead of a 100 and sends
     * nothing). A body declared larger than the bound, one not read to its end, or one refused while
     * {@link #DISCARDS_MAX} others are being dropped is answered with {@code Connection: close}.
     */
    private void discardRefusedBody(Context ctx, long declared, boolean started) {
        String expect = ctx.header("Expect");
        if (!started && expect != null && expect.equalsIgnoreCase("100-continue")) {
            return;
        }
        if (declared > DISCARD_BYTES_MAX || !discards.tryAcquire()) {
            ctx.header("Connection", "close");
            return;
        }
        boolean complete = false;
        try {
            complete = body.discard(ctx.req().getInputStream(), DISCARD_BYTES_MAX, DISCARD_NANOS_MAX).complete();
        } catch (IOException | RuntimeException e) {
            LOG.debug("a refused upload's body could not be read: {}", e.toString());
        } finally {
            discards.release();
        }
        if (!complete) {
            ctx.header("Connection", "close");
        }
    }

    private Problem tooLarge() {
        return new Problem(413, "body-too-large", "Payload too large", "uploads are limited to " + maxBytes + " bytes",
            null).with("max_bytes", maxBytes);
    }

    private static String filename(Context ctx) {
        String filename = ctx.queryParam("filename");
        if (filename == null || filename.isBlank() || filename.length() > FILENAME_MAX
            || filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
            throw invalidParameter("filename", "1–" + FILENAME_MAX + " characters without control characters or slashes");
        }
        return filename;
    }

    private static String contentType(Context ctx) {
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!MediaInspector.CONTENT_TYPES.contains(type)) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type", "uploads must be one of "
                + String.join(", ", MediaInspector.CONTENT_TYPES.stream().sorted().toList()) + ", not '"
                + (header == null ? "" : header) + "'", null);
        }
        return type;
    }

    private void list(Context ctx) {
        allowOnlyParameters(ctx, "tenant", "creator", "content_ref", "performer_record_id", "limit", "cursor");
        Caller caller = tokens.caller(ctx);
        String tenant = requiredParameter(ctx, "tenant", Json.SLUG, "a brand slug");
        String creator = optionalParameter(ctx, "creator", Json.PLATFORM_ID, "a platform id");
        String contentRef = optionalParameter(ctx, "content_ref", CONTENT_REF, "a content reference such as post:<id>");
        String performer = optionalParameter(ctx, "performer_record_id", null, null);
        UUID performerRecordId = performer == null ? null : uuidParameter("performer_record_id", performer);
        int limit = (int) numberParameter(ctx, "limit", LIMIT_DEFAULT, 1, LIMIT_MAX);
        long after = numberParameter(ctx, "cursor", 0, 0, Long.MAX_VALUE);
        if (caller.isService()) {
            caller.requireScope(READ_SCOPE);
        } else {
            caller.requireTenant(tenant, "brand");
            if (!brandStaff(caller)) {
                caller.requireRole(Caller.CREATOR);
                if (creator != null && !creator.equals(caller.subject())) {
                    throw Problem.forbidden("creators list only their own assets");
                }
                creator = caller.subject();
            }
        }
        List<Asset> page = assets.list(tenant, creator, contentRef, performerRecordId, after, limit);
        Map<String, Object> doc = new LinkedHashMap<>();
        boolean otherBrandsVisible = otherBrandsVisible(caller);
        doc.put("assets", page.stream().map(asset -> asset.json(otherBrandsVisible)).toList());
        doc.put("next", page.size() == limit ? Long.toString(page.get(page.size() - 1).seq()) : null);
        Json.answer(ctx, 200, doc);
    }

    private void get(Context ctx) {
        allowOnlyParameters(ctx);
        Caller caller = tokens.caller(ctx);
        Json.answer(ctx, 200, readable(ctx, caller).json(otherBrandsVisible(caller)));
    }

    private void similar(Context ctx) {
        allowOnlyParameters(ctx);
        Caller caller = tokens.caller(ctx);
        Asset asset = readable(ctx, caller);
        boolean otherBrandsVisible = otherBrandsVisible(caller);
        Json.answer(ctx, 200, Map.of("similar", assets.similarNow(asset, similarDistance).stream()
            .map(match -> asset.matchJson(match, otherBrandsVisible)).toList()));
    }

    private void content(Context ctx) throws IOException {
        allowOnlyParameters(ctx);
        Asset asset = readable(ctx, tokens.caller(ctx));
        String etag = "\"" + asset.sha256() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "private");
        ctx.header("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && List.of(ifNoneMatch.split(",")).stream().map(String::trim)
            .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(asset.contentType());
        ctx.header("Content-Length", Long.toString(asset.size()));
        ctx.result(storage.open(asset.sha256()));
    }

    private void putLinks(Context ctx) {
        allowOnlyParameters(ctx);
        Caller caller = tokens.caller(ctx);
        Asset asset = changeable(ctx, caller);
        ObjectNode body = Json.body(ctx);
        Json.allowOnly(body, "", "content_refs", "performer_record_ids");
        List<String> contentRefs = new ArrayList<>();
        for (String ref : textArray(body, "content_refs", CONTENT_REFS_MAX)) {
            if (!CONTENT_REF.matcher(ref).matches()) {
                throw Problem.invalidField("content references look like post:<id> (kind: 1–15 of a–z, id: 1–64 of "
                    + "A-Z a-z 0-9 . _ : @ -), not '" + ref + "'", "/content_refs/" + contentRefs.size());
            }
            contentRefs.add(ref);
        }
        List<UUID> performers = new ArrayList<>();
        for (String id : textArray(body, "performer_record_ids", PERFORMERS_MAX)) {
            performers.add(Json.parseUuid(id, "/performer_record_ids/" + performers.size()));
        }
        unique(contentRefs, "content_refs");
        unique(performers, "performer_record_ids");
        Json.answer(ctx, 200, assets.replaceLinks(asset.id(), contentRefs, performers).json(otherBrandsVisible(caller)));
    }

    private void delete(Context ctx) throws IOException {
        allowOnlyParameters(ctx);
        assets.delete(changeable(ctx, tokens.caller(ctx)));
        ctx.status(204);
    }

    /** The asset of the path, which the caller may read: 404 when absent or another brand's, 403 when not theirs. */
    private Asset readable(Context ctx, Caller caller) {
        Asset asset = pathAsset(ctx, caller);
        if (caller.isService()) {
            caller.requireScope(READ_SCOPE);
        } else if (!ownerOrStaff(caller, asset)) {
            throw Problem.forbidden("only the asset's creator and the brand's staff may read it");
        }
        return asset;
    }

    /** The asset of the path, which the caller may change: its creator, the brand's staff, services with media:write. */
    private Asset changeable(Context ctx, Caller caller) {
        Asset asset = pathAsset(ctx, caller);
        if (caller.isService()) {
            caller.requireScope(WRITE_SCOPE);
        } else if (!ownerOrStaff(caller, asset)) {
            throw Problem.forbidden("only the asset's creator and the brand's staff may change it");
        }
        return asset;
    }

    private Asset pathAsset(Context ctx, Caller caller) {
        UUID id = Json.parseUuid(ctx.pathParam("id"), null);
        Asset asset = assets.find(id).orElseThrow(() -> Problem.notFound("no such asset"));
        caller.requireTenant(asset.tenant(), "asset");
        return asset;
    }

    /** A person with the staff or admin role (of their own brand: other brands' objects are not found for them). */
    private static boolean brandStaff(Caller caller) {
        return !caller.isService() && (caller.has(Caller.STAFF) || caller.has(Caller.ADMIN));
    }

    private static boolean ownerOrStaff(Caller caller, Asset asset) {
        return brandStaff(caller) || caller.has(Caller.CREATOR) && caller.subject().equals(asset.creator());
    }

    /** Whether the caller sees other brands' asset ids among near-duplicates: services with media:read only. */
    private static boolean otherBrandsVisible(Caller caller) {
        return caller.isService() && caller.scopes().contains(READ_SCOPE);
    }

    /** 400 {@code unknown-parameter} (pointer {@code ?name}) for a query parameter the route does not take. */
    private static void allowOnlyParameters(Context ctx, String... allowed) {
        Set<String> names = Set.of(allowed);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!names.contains(name)) {
                throw Problem.badRequest("unknown-parameter", "unknown query parameter '" + name + "'"
                    + (allowed.length == 0 ? " (this route takes none)" : " (known: " + String.join(", ", allowed)
                    + ")"), "?" + name).with("parameter", name);
            }
        }
    }

    private static List<String> textArray(JsonNode body, String name, int max) {
        JsonNode node = body.get(name);
        if (node == null || !node.isArray()) {
            throw Problem.invalidField("'" + name + "' must be an array of strings (empty for none)", "/" + name);
        }
        if (node.size() > max) {
            throw Problem.invalidField("'" + name + "' takes at most " + max + " items", "/" + name);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw Problem.invalidField("'" + name + "' must hold strings", "/" + name + "/" + values.size());
            }
            values.add(item.asText());
        }
        return values;
    }

    private static <T> void unique(List<T> values, String name) {
        Set<T> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                throw Problem.invalidField("'" + name + "' names " + values.get(i) + " twice", "/" + name + "/" + i);
            }
        }
    }

    private static String requiredParameter(Context ctx, String name, Pattern pattern, String what) {
        String value = optionalParameter(ctx, name, pattern, what);
        if (value == null) {
            throw invalidParameter(name, "required: " + what);
        }
        return value;
    }

    private static String optionalParameter(Context ctx, String name, Pattern pattern, String what) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            throw invalidParameter(name, what);
        }
        return value;
    }

    private static UUID uuidParameter(String name, String value) {
        UUID uuid = Uuids.parseOrNull(value);
        if (uuid == null) {
            throw invalidParameter(name, "a UUID");
        }
        return uuid;
    }

    private static long numberParameter(Context ctx, String name, long otherwise, long min, long max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalidParameter(name, "a whole number from " + min + " to " + max);
    }

    private static Problem invalidParameter(String name, String what) {
        return Problem.badRequest("invalid-parameter", "query parameter '" + name + "' must be " + what, null)
            .with("parameter", name);
    }
}
