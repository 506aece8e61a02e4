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
 * scopes, tenants and the SHA-256 of its secret — the secret itself is shown once, at creation, and
 * never stored or logged. Keys are looked up by the hash of what a request presents.
 */
public final class KeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "fzk_";

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

    /** Registers a secret chosen by the operator (the bootstrap admin key from the environment). */
    public synchronized Created adopt(String name, Set<Scope> scopes, Set<Integer> tenants, String secret) {
        ApiKey existing = byHash.get(hash(secret));
        if (existing != null) {
            return new Created(existing, secret);
        }
        return add(name, scopes, tenants, secret);
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
        String id = "key_" + HexFormat.of().formatHex(randomBytes(6));
        ApiKey key = new ApiKey(id, name, hash(secret), scopes, tenants, Instant.now(), null);
        byHash.put(key.hash(), key);
        save();
        return new Created(key, secret);
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
                    scopes, tenants, Instant.parse(node.path("created").asText()), revoked);
                byHash.put(key.hash(), key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (ApiKey key : byHash.values()) {
            ObjectNode node = keys.addObject().put("id", key.id()).put("name", key.name()).put("hash", key.hash())
                .put("created", key.created().toString());
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
            JsonFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
