package com.fanzfinance.server.payments.posting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The payments chart's accounts (PAYMENTS-API §5). An account's id is derived, not stored: UUIDv5 in
 * {@link #NAMESPACE} of UTF-8 {@code "{tenant}/{ledger}/{code}/{party}"}, so the planner, the balances
 * endpoint and a rebuilt server all name the same account without looking anything up, and making an
 * account twice is the ledger's {@code exists}.
 *
 * <p>Parties: the merchant account id (processor roles), the rail's merchant account id (payout roles),
 * the creator id (creator roles), the referrer id ({@code referral_payable}), {@code ""} for
 * {@code platform_fees}, {@code payout_fee_income} and {@code referral_expense}, an IBAN or
 * {@code routing:account} for {@code bank}.
 */
public final class PaymentAccounts {
    /** UUIDv5(URL namespace, {@code https://fanzfinance/ns/ledger-account}). */
    public static final UUID NAMESPACE = UUID.fromString("0ac21dea-6447-5abe-ad02-c123a10c065b");

    private static final JsonFactory JSON = new JsonFactory();

    private PaymentAccounts() {
    }

    /** The id of the account {@code "{tenant}/{ledger}/{code}/{party}"}. */
    public static UUID accountId(String tenant, int ledger, int code, String party) {
        return Uuid5.of(NAMESPACE, tenant + "/" + ledger + "/" + code + "/" + party);
    }

    /**
     * The account of {@code role} for {@code party} in a tenant's currency ledger; {@code provider} is the
     * processor (processor roles) or rail (payout roles), else ignored.
     *
     * @throws IllegalArgumentException for an unknown provider, or a party that does not suit the role
     *                                  (house accounts have party {@code ""}, all others a non-empty one)
     */
    public static PlannedAccount account(String tenant, int ledger, PaymentRole role, String provider, String party) {
        if (tenant == null || tenant.isEmpty() || tenant.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a tenant slug is needed (and has no '/')");
        }
        if (party == null || party.indexOf('/') >= 0 || party.isEmpty() != role.houseAccount()) {
            throw new IllegalArgumentException(role.wireName() + (role.houseAccount() ? " has party \"\""
                : " needs a party without '/'"));
        }
        int code = role.code(provider);
        return new PlannedAccount(accountId(tenant, ledger, code, party), ledger, code, role.flags(), role, party);
    }

    /** The metadata an account is created with: compact UTF-8 JSON {@code {"role":…,"party":…}}. */
    public static byte[] metadata(PlannedAccount account) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("role", account.role().wireName());
            json.writeStringField("party", account.party());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
