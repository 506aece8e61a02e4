package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderResponse;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import java.util.List;

/**
 * CoinPayments (crypto). With {@code api_version} {@code legacy} (the default): IPNs of the legacy API, form POSTs
 * signed in the {@code HMAC} header with the hex HMAC-SHA512 of the raw body keyed with the IPN secret, carrying
 * {@code ipn_mode=hmac} and the account's {@code merchant} id. With {@code v2}: webhooks signed in
 * {@code X-CoinPayments-Signature} (Base64 HMAC-SHA256, keyed with the API client secret kept as
 * {@code ipn_secret}, of a BOM, the method, the URL, the client id, the timestamp and the body); which URL text
 * CoinPayments signs is unconfirmed, so {@code v2_url_form}† chooses it. CoinPayments publishes no sender
 * addresses, so there is no default address check.
 *
 * <p>Only legacy IPNs are read into notices. The v2 webhooks are verified but their bodies are recorded as ignored:
 * the reference names their events but not their fields, and the driver does not guess them (such an event can be
 * replayed once they are mapped).
 *
 * <p>Crypto payments cannot be charged back, and no refund IPN is documented: the driver reports sales (status
 * {@code >= 100} or {@code 2}), failures ({@code < 0}) and progress. Checkouts are handed to the platform: the
 * legacy {@code create_transaction} call is signed with the account's private API key, which FanzFinance does not
 * keep.
 */
public final class CoinPaymentsDriver implements ProcessorDriver {

    static final String MERCHANT_ID = "merchant_id";
    static final String API_VERSION = "api_version";
    static final String CLIENT_ID = "client_id";
    static final String V2_URL_FORM = "v2_url_form";
    static final String IPN_SECRET = "ipn_secret";

    static final String LEGACY = "legacy";
    static final String V2 = "v2";

    @Override
    public String name() {
        return "coinpayments";
    }

    @Override
    public String paymentMethod() {
        return "crypto";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.required(MERCHANT_ID, "the CoinPayments merchant id: IPNs for another merchant are refused"),
                SettingSpec.optional(API_VERSION, LEGACY, "legacy (IPNs of the legacy API) or v2 (signed v2 webhooks)"),
                SettingSpec.optional(CLIENT_ID, null, "v2: the API client id; X-CoinPayments-Client must equal it"),
                SettingSpec.optional(V2_URL_FORM, V2UrlForm.FULL.wireName(), "v2 (unconfirmed): the URL text the "
                        + "signature covers: full (webhook URL and query), without_query, or path (path and query)"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.required(IPN_SECRET,
                "IPN secret: checks the HMAC header of legacy IPNs (v2: the API client secret)"));
    }

    /**
     * v2 webhooks are authenticated but their bodies are not mapped yet (the public record names the events, not
     * their fields), so a v2 account would record every payment as ignored: it is refused until they are.
     */
    @Override
    public List<String> accountProblems(MerchantAccount account) {
        String version = CoinPaymentsVerifier.apiVersion(account);
        if (version.equals(V2)) {
            return List.of("coinpayments api_version v2 is not supported yet: its webhook bodies are not mapped, so"
                    + " payments would never post; use the legacy IPN (api_version legacy)");
        }
        if (!version.equals(LEGACY)) {
            return List.of("coinpayments api_version must be legacy (or, later, v2)");
        }
        return List.of();
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return CoinPaymentsVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        if (CoinPaymentsVerifier.apiVersion(account).equals(V2)) {
            return new Normalised.Ignored("v2", "coinpayments v2 webhook bodies are not mapped", null);
        }
        return CoinPaymentsNormaliser.normalise(notification);
    }

    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return CoinPaymentsInvoices.checkout(request, account);
    }

    /** Never called by the server: an account has no API key, so the platform creates the transaction. */
    @Override
    public CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        throw new ProviderAnswerException("coinpayments transactions are created by the platform "
                + "(create_transaction is signed with the merchant's private API key)");
    }
}
