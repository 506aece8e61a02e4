package com.fanzfinance.gateway.verotel;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.verotel.FlexPaySignature.Algorithm;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Verotel FlexPay (and its white-label brands). Verotel signs every postback, a GET whose query holds all
 * fields, with the merchant's signature key; it publishes no source addresses, so the signature and the
 * {@code shopID} are the whole of the authentication.
 *
 * <p>Verification checks the signature first and the {@code shopID} second: only a postback signed with this
 * account's key gets the specific {@code account-mismatch} answer (a key shared by several of a merchant's
 * websites signs postbacks of shops this account is not for); anything unsigned or badly signed is simply
 * {@code signature}. A parameter sent twice is refused as {@code signature} too, since which value was signed
 * would be a guess. A postback without {@code shopID} is checked as signed over the account's {@code shop_id}
 * (the official clients add it the same way); an account without {@code shop_id} matches no postback.
 */
public final class VerotelDriver implements ProcessorDriver {

    static final String SHOP_ID = "shop_id";
    static final String BRAND = "brand";
    static final String ACCEPT_SHA1 = "accept_sha1";
    static final String SIGNATURE_KEY = "signature_key";

    @Override
    public String name() {
        return "verotel";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.required(SHOP_ID, "the FlexPay website id (shopID) notifications and checkouts carry"),
                SettingSpec.optional(BRAND, "verotel",
                        "the brand whose host takes checkouts: verotel, cardbilling, bitsafepay, bill, gaycharge or yoursafedirect"),
                SettingSpec.optional(ACCEPT_SHA1, "true", "whether legacy 40-hex SHA-1 postback signatures are accepted"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.required(SIGNATURE_KEY, "the FlexPay signature key from Verotel's Control Center"));
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        String presented = null;
        Map<String, String> signed = new HashMap<>();
        for (Map.Entry<String, String> param : notification.parameters().entries()) {
            boolean repeated = param.getKey().equals("signature")
                    ? presented != null
                    : signed.containsKey(param.getKey());
            if (repeated) {
                return Verification.unauthenticated("signature");
            }
            if (param.getKey().equals("signature")) {
                presented = param.getValue().trim();
            } else {
                signed.put(param.getKey(), param.getValue());
            }
        }
        Optional<String> shopId = account.setting(SHOP_ID);
        if (!signed.containsKey("shopID")) {
            shopId.ifPresent(id -> signed.put("shopID", id));
        }
        Optional<Verification.With> with = signedWith(presented, signed, account, notification);
        if (with.isEmpty()) {
            return Verification.unauthenticated("signature");
        }
        if (shopId.isEmpty() || !shopId.get().equals(signed.get("shopID"))) {
            return Verification.accountMismatch();
        }
        return new Verification.Verified(with.get());
    }

    /** Which of the account's keys signed the parameters, if any did with an algorithm the account accepts. */
    private static Optional<Verification.With> signedWith(String presented, Map<String, String> signed,
                                                          MerchantAccount account, Notification notification) {
        if (presented == null) {
            return Optional.empty();
        }
        Optional<Algorithm> algorithm = Algorithm.forSignature(presented);
        if (algorithm.isEmpty() || algorithm.get() == Algorithm.SHA1 && !acceptsSha1(account)) {
            return Optional.empty();
        }
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(SIGNATURE_KEY);
        if (current.isPresent() && FlexPaySignature.matches(algorithm.get(), current.get(), signed, presented)) {
            return Optional.of(Verification.With.CURRENT);
        }
        Optional<String> previous = secrets.previous(SIGNATURE_KEY, notification.receivedAt());
        if (previous.isPresent() && FlexPaySignature.matches(algorithm.get(), previous.get(), signed, presented)) {
            return Optional.of(Verification.With.PREVIOUS);
        }
        return Optional.empty();
    }

    /** Only an explicit {@code true} keeps SHA-1 on, so a mistyped value fails towards the stronger check. */
    private static boolean acceptsSha1(MerchantAccount account) {
        return account.setting(ACCEPT_SHA1, "true").trim().equalsIgnoreCase("true");
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return VerotelPostback.normalise(notification.parameters());
    }

    /**
     * A {@code /startorder} redirect on the brand's host, signed with SHA-256 over every parameter it carries.
     * The checkout id travels as {@code referenceID} and, for merchants whose postbacks only echo custom fields,
     * as {@code custom1}.
     */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        String shopId = account.setting(SHOP_ID)
                .orElseThrow(() -> new CheckoutNotConfiguredException("the merchant account has no setting " + SHOP_ID));
        String brandName = account.setting(BRAND, "verotel");
        VerotelBrand brand = VerotelBrand.named(brandName)
                .orElseThrow(() -> new CheckoutNotConfiguredException("unknown verotel brand " + brandName));
        String key = account.requiredSecret(SIGNATURE_KEY);
        String checkoutId = request.checkoutId().toString();

        Map<String, String> params = new LinkedHashMap<>();
        params.put("shopID", shopId);
        params.put("priceAmount", request.amount().toPlainString());
        params.put("priceCurrency", request.currency().toUpperCase(Locale.ROOT));
        if (!request.description().isBlank()) {
            params.put("description", request.description());
        }
        if (request.isSubscription()) {
            params.put("type", "subscription");
            params.put("subscriptionType", "recurring");
            params.put("period", "P" + request.periodDays() + "D");
        } else {
            params.put("type", "purchase");
        }
        params.put("referenceID", checkoutId);
        params.put("custom1", checkoutId);
        params.put("signature", FlexPaySignature.sign(Algorithm.SHA256, key, params));

        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return new CheckoutAction.Redirect(brand.startOrderUrl() + "?" + query,
                new CheckoutAction.PassThrough("referenceID", checkoutId));
    }
}
