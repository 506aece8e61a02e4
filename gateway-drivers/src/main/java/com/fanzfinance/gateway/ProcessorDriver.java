package com.fanzfinance.gateway;

import java.util.List;

/**
 * One payment processor, as the server sees it. A driver is stateless and thread-safe; the server finds
 * drivers with {@link java.util.ServiceLoader} (see {@link ProcessorDrivers}) and calls them for every
 * notification of a merchant account of {@link #name()}.
 *
 * <p>The order per notification is fixed by the server: source address check (against the account's
 * {@code ip_allow_list}, or {@link #defaultSourceAddresses()} when the account has none), then
 * {@link #verify}, then {@link #normalise}, then {@link #acknowledgement}. A driver never sees the ledger:
 * it answers what the notification <em>says</em>; the server decides what it <em>means</em> for money
 * (deduplication, parents, posting templates).
 *
 * <p>Drivers must not log, return or put into exceptions any secret value.
 */
public interface ProcessorDriver {

    /** The processor's name in URLs and merchant accounts, lower case: {@code ccbill}, {@code verotel}, … */
    String name();

    /**
     * How fans pay through this processor: {@code card} (the default) or {@code crypto}. Checkout routing uses it
     * (a route may take only one of them); card processors are the ones watched for chargebacks.
     */
    default String paymentMethod() {
        return "card";
    }

    /** The settings a merchant account of this processor takes (names, defaults, whether required). */
    List<SettingSpec> settings();

    /** The secret names a merchant account of this processor takes, with whether each is required. */
    List<SecretSpec> secrets();

    /**
     * The CIDR ranges notifications come from when an account does not set {@code ip_allow_list}; empty when
     * the processor's addresses are only suggestions (then there is no address check by default).
     */
    default List<String> defaultSourceAddresses() {
        return List.of();
    }

    /**
     * What makes the account unable to authenticate any notification, as sentences for an administrator (empty: none):
     * the server refuses to create or change an account into such a state. The default finds nothing; drivers whose
     * authentication depends on a combination of settings, secrets and {@code ip_allow_list} (rather than on one
     * required secret) say here what is missing.
     */
    default List<String> accountProblems(MerchantAccount account) {
        return List.of();
    }

    /**
     * Whether the notification is authentic for this account: signature, digest or credentials, checked with
     * the current secrets and then the previous ones while they are still valid, and any account id the
     * notification carries against the account's setting. Never throws for bad input: a notification that
     * cannot be read is {@link Verification.Unauthenticated}.
     */
    Verification verify(Notification notification, MerchantAccount account);

    /** What a verified notification says, in the processor-neutral form. Never throws for bad input. */
    Normalised normalise(Notification notification, MerchantAccount account);

    /** The answer the processor expects for a notification it should not send again. */
    default Acknowledgement acknowledgement(MerchantAccount account) {
        return Acknowledgement.text(account.setting("ack_body").orElse("OK"));
    }

    /**
     * What the fan's browser does to pay: a redirect, a form post or an invoice the server creates through
     * the processor's API. Throws {@link CheckoutNotConfiguredException} when the account lacks a setting
     * the processor needs for it.
     */
    CheckoutAction checkout(CheckoutRequest request, MerchantAccount account);

    /**
     * The redirect for an invoice the server created with {@link CheckoutAction.CreateInvoice#request()}:
     * reads the processor's answer. Throws {@link ProviderAnswerException} when the answer is not usable.
     * Processors without invoices never get this call.
     */
    default CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        throw new ProviderAnswerException(name() + " creates no invoices");
    }
}
