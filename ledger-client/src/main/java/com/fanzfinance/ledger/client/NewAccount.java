package com.fanzfinance.ledger.client;

import java.util.Objects;
import java.util.regex.Pattern;

import com.fanzfinance.ledger.command.Account;

/**
 * An account to create, with what the JSON API carries besides the account itself. The account's
 * numeric {@link Account#tenant()} is not sent: the server owns tenant numbers, and the tenant is named
 * here by its slug instead.
 *
 * @param tenant   the slug of the tenant (brand) that will own the account, or null for the API key's own
 *                 tenant (a key with several tenants, or an admin key, must name one)
 * @param metadata a JSON object of at most 4 KiB, stored and returned but never compared, or null; kept
 *                 in compact form
 */
public record NewAccount(Account account, String tenant, String metadata) {
    private static final Pattern TENANT_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public NewAccount {
        Objects.requireNonNull(account, "account");
        if (tenant != null && !TENANT_SLUG.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant slug is 1-32 of a-z, 0-9 and '-', starting with a letter or"
                + " digit: '" + tenant + "'");
        }
        metadata = Metadata.compact(metadata);
    }

    /** The account in the key's own tenant, without metadata. */
    public static NewAccount of(Account account) {
        return new NewAccount(account, null, null);
    }

    public NewAccount inTenant(String tenantSlug) {
        return new NewAccount(account, tenantSlug, metadata);
    }

    public NewAccount withMetadata(String metadataJson) {
        return new NewAccount(account, tenant, metadataJson);
    }
}
