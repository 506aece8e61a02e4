package com.fanzfinance.payouts.rail;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A rail merchant account as a driver is made from: its settings and opened secrets. {@link #toString()} never shows
 * a secret.
 */
public record RailAccount(UUID id, String rail, Map<String, String> settings, Map<String, String> secrets) {

    public RailAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rail, "rail");
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name)).filter(value -> !value.isEmpty());
    }

    public String setting(String name, String otherwise) {
        return setting(name).orElse(otherwise);
    }

    public String requiredSetting(String name) {
        return setting(name).orElseThrow(() -> new RailConfigurationException(rail + " account " + id
            + " has no setting '" + name + "'"));
    }

    public String requiredSecret(String name) {
        String value = secrets.get(name);
        if (value == null || value.isEmpty()) {
            throw new RailConfigurationException(rail + " account " + id + " has no secret '" + name + "'");
        }
        return value;
    }

    public Optional<String> secret(String name) {
        return Optional.ofNullable(secrets.get(name)).filter(value -> !value.isEmpty());
    }

    @Override
    public String toString() {
        return "RailAccount[" + rail + " " + id + ", settings=" + settings + ", secrets=" + secrets.keySet() + "]";
    }
}
