package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.MerchantAccount;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A merchant account of a simulated processor: what a test creates through the merchant-account API (the
 * {@code processor}, {@code currencies}, {@code settings}, {@code secrets} and {@code ip_allow_list} members) so
 * that the server accepts what the matching {@link SimulatedProcessor} sends. {@link #toString()} names the secrets
 * but never shows their values, like {@link MerchantAccount}.
 *
 * @param processor   the processor name
 * @param currencies  the currencies the account takes
 * @param settings    the processor settings the notifications and checkouts need
 * @param secrets     the secrets the simulated processor signs with
 * @param ipAllowList loopback ranges, so that a server under test accepts requests sent from the test itself even
 *                    for processors with a default source-address check (CCBill)
 */
public record SimulatedAccount(String processor, List<String> currencies, Map<String, String> settings,
                               Map<String, String> secrets, List<String> ipAllowList) {

    /** The id {@link #merchantAccount()} uses. */
    public static final UUID ACCOUNT_ID = UUID.fromString("0c0ffee0-5a1e-4d00-8bad-f00d00000001");

    /** Loopback in IPv4 and IPv6. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    public SimulatedAccount {
        Objects.requireNonNull(processor, "processor");
        currencies = List.copyOf(currencies);
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        ipAllowList = List.copyOf(ipAllowList);
    }

    /** The driver's view of this account under {@link #ACCOUNT_ID} and a test webhook URL. */
    public MerchantAccount merchantAccount() {
        return merchantAccount(ACCOUNT_ID, "https://pay.example.test/hooks/" + processor + "/" + ACCOUNT_ID);
    }

    /** The driver's view of this account under a given id and webhook URL. */
    public MerchantAccount merchantAccount(UUID id, String webhookUrl) {
        return merchantAccount(id, webhookUrl, MerchantAccount.Secrets.of(secrets));
    }

    /** The driver's view with other secret values, e.g. during a rotation (current and previous). */
    public MerchantAccount merchantAccount(MerchantAccount.Secrets otherSecrets) {
        return merchantAccount(ACCOUNT_ID, "https://pay.example.test/hooks/" + processor + "/" + ACCOUNT_ID, otherSecrets);
    }

    private MerchantAccount merchantAccount(UUID id, String webhookUrl, MerchantAccount.Secrets accountSecrets) {
        return new MerchantAccount(id, "simulated-tenant", processor, currencies, settings, accountSecrets, ipAllowList,
                webhookUrl);
    }

    /** The same account with other secret values (same names), for a "signed with another secret" case. */
    public SimulatedAccount withSecrets(Map<String, String> otherSecrets) {
        return new SimulatedAccount(processor, currencies, settings, otherSecrets, ipAllowList);
    }

    @Override
    public String toString() {
        return "SimulatedAccount[processor=" + processor + ", currencies=" + currencies + ", settings=" + settings
                + ", secrets=" + secrets.keySet() + ", ipAllowList=" + ipAllowList + "]";
    }
}
