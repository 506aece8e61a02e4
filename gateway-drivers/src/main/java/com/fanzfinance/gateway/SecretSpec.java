package com.fanzfinance.gateway;

import java.util.Objects;

/**
 * A secret a merchant account of a processor takes (a signature key, an IPN secret, an API key).
 *
 * @param name        the JSON name under {@code secrets}
 * @param required    whether notifications cannot be verified without it
 * @param description one line for people and the API reference
 */
public record SecretSpec(String name, boolean required, String description) {

    public SecretSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public static SecretSpec required(String name, String description) {
        return new SecretSpec(name, true, description);
    }

    public static SecretSpec optional(String name, String description) {
        return new SecretSpec(name, false, description);
    }
}
