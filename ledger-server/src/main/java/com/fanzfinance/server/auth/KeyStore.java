package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API keys, in {@code <data>/keys.json} (owner-only permissions): for each key its id, name,
 * scopes, tenants, source ({@code created}, or {@code FANZ_ADMIN_KEY} for the operator's key from the
 * environment) and the SHA-256 of its secret — the secret itself is shown once, at creation, and never
 * stored or logged. Keys are looked up by the hash of what a request presents.
 */
public final class KeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "fzk_";
    /** The name of a key adopted from FANZ_ADMIN_KEY, by which files older than "source" mark such keys. */
    static final String ENVIRONMENT_KEY_NAME = "bootstrap-admin (FANZ_ADMIN_KEY)";

    private final Path file;
    private final Map<String, ApiKey> byHash = new LinkedHashMap<>();

    public KeyStore(Path dataDirectory) {
        this.file = dataDirectory.resolve("keys.json");
        load();
    }

    /** A newly created key and its secret, which exists nowhere else. */
    public record Created(ApiKey key, String secret) {
    }

    /** The active key with this secret, if any. */
    public synchronized Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = byHash.get(hash(secret));
        return key != null && key.isActive() ? Optional.of(key) : Optional.empty();
    }

    public synchronized Created create(String name, Set<Scope> scopes, Set<Integer> tenants) {
        return add(name, scopes, tenants, newSecret());
    }

    /** What {@link #adoptFromEnvironment} did: the key for the secret, and the earlier environment keys revoked. */
    public record Adopted(ApiKey key, boolean isNew, List<ApiKey> revoked) {
    }

    /**
     * Makes the operator's {@code FANZ_ADMIN_KEY} an active admin key and revokes every other key that
     * came from that variable: changing it replaces the key, it does not add one. Refuses a secret that
     * belongs to a revoked key (revoked stays revoked) or to a key without the admin scope.
     */
    public synchronized Adopted adoptFromEnvironment(String secret) {
        ApiKey existing = byHash.get(hash(secret));
        if (existing != null && !existing.isActive()) {
            throw new IllegalStateException("FANZ_ADMIN_KEY is the secret of " + existing.id() + ", revoked at "
                + existing.revoked() + "; a revoked key stays revoked, so set FANZ_ADMIN_KEY to a new secret");
        }
        if (existing != null && !existing.isAdmin()) {
            throw new IllegalStateException("FANZ_ADMIN_KEY is the secret of " + existing.id() + " ('" + existing.name()
                + "'), which is not an admin key; set FANZ_ADMIN_KEY to a new secret");
        }
        ApiKey key = existing != null ? existing : newKey(ENVIRONMENT_KEY_NAME, Set.of(Scope.ADMIN), Set.of(), secret,
            ApiKey.Source.ENVIRONMENT);
        List<ApiKey> revoked = new ArrayList<>();
        Instant now = Instant.now();
        for (Map.Entry<String, ApiKey> entry : byHash.entrySet()) {
            ApiKey other = entry.getValue();
            if (other.isActive() && other.isFromEnvironment() && !other.hash().equals(key.hash())) {
                entry.setValue(other.revokedAt(now));
                revoked.add(entry.getValue());
            }
        }
        byHash.put(key.hash(), key);
        if (existing == null || !revoked.isEmpty()) {
            save();
        }
        return new Adopted(key, existing == null, List.copyOf(revoked));
    }

    public synchronized List<ApiKey> list() {
        return new ArrayList<>(byHash.values());
    }

    /** Thrown instead of revoking the last active admin key, which would lock everyone out. */
    public static final class LastAdminKeyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LastAdminKeyException(String id) {
            super("revoking " + id + " would leave no active admin key; create another admin key first");
        }
    }

    /** Revokes the active key with this id; false if there is none. Never revokes the last active admin key. */
    public synchronized boolean revoke(String id) {
        for (Map.Entry<String, ApiKey> entry : byHash.entrySet()) {
            if (entry.getValue().id().equals(id) && entry.getValue().isActive()) {
                if (entry.getValue().isAdmin()
                    && byHash.values().stream().filter(key -> key.isActive() && key.isAdmin()).count() == 1) {
                    throw new LastAdminKeyException(id);
                }
                entry.setValue(entry.getValue().revokedAt(Instant.now()));
                save();
                return true;
            }
        }
        return false;
    }

    public synchronized boolean hasActiveAdmin() {
        return byHash.values().stream().anyMatch(key -> key.isActive() && key.isAdmin());
    }

    private Created add(String name, Set<Scope> scopes, Set<Integer> tenants, String secret) {
        ApiKey key = newKey(name, scopes, tenants, secret, ApiKey.Source.CREATED);
        byHash.put(key.hash(), key);
        save();
        return new Created(key, secret);
    }

    private static ApiKey newKey(String name, Set<Scope> scopes, Set<Integer> tenants, String secret,
                                 ApiKey.Source source) {
        String id = "key_" + HexFormat.of().formatHex(randomBytes(6));
        return new ApiKey(id, name, hash(secret), scopes, tenants, Instant.now(), null, source);
    }

    private static String newSecret() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (JsonNode node : JSON.readTree(file.toFile()).path("keys")) {
                Set<Scope> scopes = new java.util.HashSet<>();
                node.path("scopes").forEach(s -> scopes.add(Scope.ofWireName(s.asText())));
                Set<Integer> tenants = new java.util.HashSet<>();
                node.path("tenants").forEach(t -> tenants.add(t.asInt()));
                Instant revoked = node.hasNonNull("revoked") ? Instant.parse(node.path("revoked").asText()) : null;
                ApiKey key = new ApiKey(node.path("id").asText(), node.path("name").asText(), node.path("hash").asText(),
                    scopes, tenants, Instant.parse(node.path("created").asText()), revoked, source(node));
                byHash.put(key.hash(), key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The key's source; files written before there was one name an environment key only by its name. */
    private ApiKey.Source source(JsonNode node) {
        if (!node.hasNonNull("source")) {
            return node.path("name").asText().equals(ENVIRONMENT_KEY_NAME) ? ApiKey.Source.ENVIRONMENT
                : ApiKey.Source.CREATED;
        }
        ApiKey.Source source = ApiKey.Source.ofWireName(node.path("source").asText());
        // SSO identities live only as long as their token and are never written here: such an entry is not ours.
        if (source == null || source == ApiKey.Source.SSO) {
            throw new IllegalStateException(file + ": key " + node.path("id").asText() + " has an unknown source '"
                + node.path("source").asText() + "'");
        }
        return source;
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (ApiKey key : byHash.values()) {
            ObjectNode node = keys.addObject().put("id", key.id()).put("name", key.name()).put("hash", key.hash())
                .put("created", key.created().toString()).put("source", key.source().wireName());
            ArrayNode scopes = node.putArray("scopes");
            new TreeSet<>(key.scopes().stream().map(Scope::wireName).toList()).forEach(scopes::add);
            ArrayNode tenants = node.putArray("tenants");
            new TreeSet<>(key.tenants()).forEach(tenants::add);
            if (key.revoked() != null) {
                node.put("revoked", key.revoked().toString());
            } else {
                node.putNull("revoked");
            }
        }
        try {
            JsonFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
