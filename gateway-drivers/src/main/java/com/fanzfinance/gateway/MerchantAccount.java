package com.fanzfinance.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a driver knows of a merchant account: its identity, settings (defaults already applied by the server)
 * and secrets. {@link #toString()} never shows a secret.
 *
 * @param id            the account id (also the secret part of its webhook URL)
 * @param tenant        the tenant owning it
 * @param processor     the processor name
 * @param currencies    ISO 4217 codes the account accepts
 * @param settings      settings with the processor's defaults applied
 * @param secrets       current and, during a rotation, previous secret values
 * @param ipAllowList   the CIDRs notifications may come from; {@code null} when the account does not set it
 * @param webhookUrl    the URL the processor calls for this account
 */
public record MerchantAccount(UUID id, String tenant, String processor, List<String> currencies,
                              Map<String, String> settings, Secrets secrets, List<String> ipAllowList,
                              String webhookUrl) {

    public MerchantAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(processor, "processor");
        currencies = List.copyOf(currencies);
        settings = Map.copyOf(settings);
        Objects.requireNonNull(secrets, "secrets");
        ipAllowList = ipAllowList == null ? null : List.copyOf(ipAllowList);
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    /** A setting's value, when set and not blank. */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name)).filter(value -> !value.isBlank());
    }

    /** A setting's value, or the fallback. */
    public String setting(String name, String fallback) {
        return setting(name).orElse(fallback);
    }

    /** A secret's current value, or {@link CheckoutNotConfiguredException} naming it when it is not set. */
    public String requiredSecret(String name) {
        String value = secrets.current().get(name);
        if (value == null || value.isEmpty()) {
            throw new CheckoutNotConfiguredException("the merchant account has no secret " + name);
        }
        return value;
    }

    @Override
    public String toString() {
        return "MerchantAccount[id=" + id + ", tenant=" + tenant + ", processor=" + processor
                + ", settings=" + settings + ", secrets=" + secrets + "]";
    }

    /**
     * Secret values. {@code previous} holds the values replaced by the last rotation while they are still
     * accepted ({@code previousValidUntil} in the future); empty otherwise.
     */
    public record Secrets(Map<String, String> current, Map<String, String> previous, Instant previousValidUntil) {

        public static final Secrets NONE = new Secrets(Map.of(), Map.of(), null);

        public Secrets {
            current = Map.copyOf(current);
            previous = Map.copyOf(previous);
        }

        public static Secrets of(Map<String, String> current) {
            return new Secrets(current, Map.of(), null);
        }

        /** The current value of a secret. */
        public Optional<String> current(String name) {
            return Optional.ofNullable(current.get(name)).filter(value -> !value.isEmpty());
        }

        /** The previous value of a secret, if it is still accepted at {@code now}. */
        public Optional<String> previous(String name, Instant now) {
            if (previousValidUntil == null || !now.isBefore(previousValidUntil)) {
                return Optional.empty();
            }
            return Optional.ofNullable(previous.get(name)).filter(value -> !value.isEmpty());
        }

        @Override
        public String toString() {
            return "Secrets[names=" + current.keySet() + ", previous=" + previous.keySet() + "]";
        }
    }
}
