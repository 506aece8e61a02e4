package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.command.TenantUsage;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * The tenants (brands such as {@code girlfanz}) and the numbers the ledger stores for them. The ledger's
 * journal is the registry: a tenant is registered by a journaled command, so its number is part of the
 * ledger's history and can never be given to another slug — not even if files beside the journal are
 * lost. This class is the server's read-mostly view of it, attached to the engine once recovery is done.
 *
 * <p>Servers before version 0.2 kept the numbers in {@code <data>/tenants.json}; on the first start after
 * an upgrade its tenants are registered in the journal under their old numbers and the file is renamed
 * {@code tenants.json.imported}.
 */
public final class TenantRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long REFRESH_EVERY_NANOS = 100_000_000L;

    private final Path legacyFile;
    private final Map<String, Integer> idsBySlug = new ConcurrentHashMap<>();
    private final Map<Integer, String> slugsById = new ConcurrentHashMap<>();
    private volatile Ledger engine;
    private volatile boolean loaded;
    /** Other servers write to the same ledger (a cluster's members): a slug unknown here may be new there. */
    private volatile boolean shared;
    private final Object refreshing = new Object();
    private long refreshedAtCommand = Long.MIN_VALUE;
    private long refreshedAtNanos;

    public TenantRegistry(Path dataDirectory) {
        this.legacyFile = dataDirectory.resolve("tenants.json");
    }

    /** A registry already attached to {@code engine} (offline commands). */
    public static TenantRegistry attachedTo(Path dataDirectory, Ledger engine) {
        TenantRegistry registry = new TenantRegistry(dataDirectory);
        registry.attach(engine);
        return registry;
    }

    public static boolean isValidSlug(String slug) {
        return TenantSettings.isValidSlug(slug);
    }

    /** Reads the tenants the ledger holds (importing a legacy {@code tenants.json} first). */
    public synchronized void attach(Ledger ledger) {
        this.engine = ledger;
        this.shared = !(ledger instanceof LedgerEngine);
        importLegacyFile();
        for (TenantSettings tenant : ledger.read(StateMachine::tenants)) {
            remember(tenant.slug(), tenant.number());
        }
        loaded = true;
    }

    /**
     * On a shared ledger, reads the tenants again if the ledger has applied commands since the last read (one
     * of them may have registered a tenant through another server) and the last read is at least
     * {@link #REFRESH_EVERY_NANOS} old: a stream of unknown slugs costs at most ten reads a second. Not under
     * the registry's own lock, which a registration holds for a round trip through the ledger.
     */
    private void refreshIfShared() {
        Ledger current = engine;
        if (!shared || current == null) {
            return;
        }
        synchronized (refreshing) {
            long applied = current.lastPublishedCommand();
            long now = System.nanoTime();
            if (applied == refreshedAtCommand || now - refreshedAtNanos < REFRESH_EVERY_NANOS) {
                return;
            }
            for (TenantSettings tenant : current.read(StateMachine::tenants)) {
                remember(tenant.slug(), tenant.number());
            }
            refreshedAtCommand = applied;
            refreshedAtNanos = now;
        }
    }

    /** True once the registry reads the ledger's tenants (recovery is done); before that it knows none. */
    public boolean isAttached() {
        return loaded;
    }

    public Optional<Integer> idOf(String slug) {
        Integer id = idsBySlug.get(slug);
        if (id == null) {
            refreshIfShared();
            id = idsBySlug.get(slug);
        }
        return Optional.ofNullable(id);
    }

    public Optional<String> slugOf(int id) {
        String slug = slugsById.get(id);
        if (slug == null && id > 0) { // 0: the house's accounts, never a tenant
            refreshIfShared();
            slug = slugsById.get(id);
        }
        return Optional.ofNullable(slug);
    }

    /** The tenant's number, registering the tenant (a journaled command) if it is new. */
    public int register(String slug) {
        Integer known = idOf(slug).orElse(null);
        if (known != null) {
            return known;
        }
        return apply(TenantSettings.register(slug));
    }

    /**
     * Sets a tenant's own quotas (0: the ledger's default), registering it if it is new; returns its
     * number.
     */
    public int setQuotas(String slug, long accountsMax, long transfersMax) {
        return apply(new TenantSettings(idOf(slug).orElse(0), slug, accountsMax, transfersMax));
    }

    /** Every tenant's settings, by number. */
    public TenantSettings[] settings() {
        return attached().read(StateMachine::tenants);
    }

    /** What the tenant uses of its quotas. */
    public TenantUsage usage(int id) {
        return attached().read(machine -> machine.tenantUsage(id));
    }

    public Map<String, Integer> all() {
        refreshIfShared();
        return Map.copyOf(idsBySlug);
    }

    private synchronized int apply(TenantSettings settings) {
        LedgerEngine.TenantOutcome outcome = LedgerEngine.join(attached().submitTenant(settings));
        if (outcome.status() != SetTenantStatus.OK) {
            throw new IllegalStateException("the ledger refused tenant '" + settings.slug() + "': " + outcome.status());
        }
        remember(settings.slug(), outcome.number());
        return outcome.number();
    }

    private void remember(String slug, int id) {
        idsBySlug.put(slug, id);
        slugsById.put(id, slug);
    }

    private Ledger attached() {
        Ledger current = engine;
        if (current == null) {
            throw new IllegalStateException("the tenant registry is not attached to the ledger yet");
        }
        return current;
    }

    /** Registers the tenants of a legacy {@code tenants.json} under their numbers, then sets the file aside. */
    private void importLegacyFile() {
        if (!Files.exists(legacyFile)) {
            return;
        }
        Map<String, Integer> legacy = new LinkedHashMap<>();
        try {
            for (JsonNode tenant : JSON.readTree(legacyFile.toFile()).path("tenants")) {
                legacy.put(tenant.path("slug").asText(), tenant.path("id").asInt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + legacyFile, e);
        }
        legacy.forEach((slug, id) -> {
            LedgerEngine.TenantOutcome outcome = LedgerEngine.join(engine.submitTenant(new TenantSettings(id, slug, 0, 0)));
            if (outcome.status() != SetTenantStatus.OK) {
                throw new IllegalStateException("cannot import tenant '" + slug + "' #" + id + " from " + legacyFile
                    + " into the ledger: " + outcome.status());
            }
        });
        try {
            Files.move(legacyFile, legacyFile.resolveSibling("tenants.json.imported"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + legacyFile + " aside", e);
        }
        LOG.info("imported {} tenants from {} into the ledger's journal", legacy.size(), legacyFile);
    }
}
