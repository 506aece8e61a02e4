package com.fanzfinance.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * A setting a merchant account of a processor takes.
 *
 * @param name         the JSON name under {@code settings}
 * @param required     whether an account cannot be created without it
 * @param defaultValue the value used when the account does not set it, if any
 * @param description  one line for people and the API reference
 */
public record SettingSpec(String name, boolean required, String defaultValue, String description) {

    public SettingSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("a required setting has no default: " + name);
        }
    }

    public static SettingSpec required(String name, String description) {
        return new SettingSpec(name, true, null, description);
    }

    public static SettingSpec optional(String name, String defaultValue, String description) {
        return new SettingSpec(name, false, defaultValue, description);
    }

    public Optional<String> defaultValueIfAny() {
        return Optional.ofNullable(defaultValue);
    }
}
