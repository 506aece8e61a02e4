package com.fanzfinance.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tenants (brands such as {@code girlfanz}) and the small numbers the ledger stores for them, in
 * {@code <data>/tenants.json}. A tenant's number never changes once assigned; tenants are never removed.
 */
public final class TenantRegistry {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Integer> idsBySlug = new LinkedHashMap<>();
    private final Map<Integer, String> slugsById = new LinkedHashMap<>();

    public TenantRegistry(Path dataDirectory) {
        this.file = dataDirectory.resolve("tenants.json");
        load();
    }

    public static boolean isValidSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches();
    }

    public synchronized Optional<Integer> idOf(String slug) {
        return Optional.ofNullable(idsBySlug.get(slug));
    }

    public synchronized Optional<String> slugOf(int id) {
        return Optional.ofNullable(slugsById.get(id));
    }

    /** The tenant's number, registering the tenant if it is new. */
    public synchronized int register(String slug) {
        if (!isValidSlug(slug)) {
            throw new IllegalArgumentException("a tenant is 1-32 of a-z, 0-9 and '-', starting with a letter or digit: "
                + slug);
        }
        Integer existing = idsBySlug.get(slug);
        if (existing != null) {
            return existing;
        }
        int id = idsBySlug.size() + 1;
        idsBySlug.put(slug, id);
        slugsById.put(id, slug);
        save();
        return id;
    }

    public synchronized Map<String, Integer> all() {
        return Map.copyOf(idsBySlug);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (JsonNode tenant : JSON.readTree(file.toFile()).path("tenants")) {
                idsBySlug.put(tenant.path("slug").asText(), tenant.path("id").asInt());
                slugsById.put(tenant.path("id").asInt(), tenant.path("slug").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tenants = root.putArray("tenants");
        idsBySlug.forEach((slug, id) -> tenants.addObject().put("id", id).put("slug", slug));
        try {
            JsonFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
