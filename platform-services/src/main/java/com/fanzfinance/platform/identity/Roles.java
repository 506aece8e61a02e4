package com.fanzfinance.platform.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fanzfinance.platform.common.Caller;
import com.fanzfinance.platform.common.Problem;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The roles a person can hold on a brand — {@code fan}, {@code creator}, {@code staff}, {@code admin}, in
 * that order wherever they are listed — and reading a set of them from a request.
 */
final class Roles {
    static final List<String> ALL = List.of(Caller.FAN, Caller.CREATOR, Caller.STAFF, Caller.ADMIN);

    private Roles() {
    }

    /** {@code roles} in the canonical order (a service token's {@code service} role last). */
    static List<String> ordered(Set<String> roles) {
        List<String> out = new ArrayList<>();
        for (String role : ALL) {
            if (roles.contains(role)) {
                out.add(role);
            }
        }
        if (roles.contains(Caller.SERVICE)) {
            out.add(Caller.SERVICE);
        }
        return out;
    }

    /** A required non-empty array of distinct person roles at {@code /<name>}; 400 otherwise. */
    static Set<String> read(JsonNode body, String name) {
        JsonNode array = body.get(name);
        String pointer = "/" + name;
        if (array == null || array.isNull()) {
            throw Problem.invalidField("'" + name + "' is required", pointer);
        }
        if (!array.isArray() || array.isEmpty() || array.size() > ALL.size()) {
            throw Problem.invalidField("'" + name + "' must be an array of 1–4 of " + String.join(", ", ALL), pointer);
        }
        Set<String> roles = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode role = array.get(i);
            if (!role.isTextual() || !ALL.contains(role.asText())) {
                throw Problem.invalidField("a role must be one of " + String.join(", ", ALL), pointer + "/" + i);
            }
            if (!roles.add(role.asText())) {
                throw Problem.invalidField("role '" + role.asText() + "' is listed twice", pointer + "/" + i);
            }
        }
        return roles;
    }
}
