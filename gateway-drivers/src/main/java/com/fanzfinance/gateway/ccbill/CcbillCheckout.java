package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the FlexForms dynamic-pricing link: the price, period and currency in the query, made tamper-proof by
 * {@code formDigest}, plus the checkout id as a custom field that CCBill echoes back as {@code X-fanz_checkout_id}.
 */
final class CcbillCheckout {

    static final String BASE_URL = "https://api.ccbill.com/wap-frontflex/flexforms/";
    static final String PASS_THROUGH_FIELD = "fanz_checkout_id";

    private CcbillCheckout() {
    }

    static CheckoutAction.Redirect redirect(CheckoutRequest request, MerchantAccount account) {
        String flexId = requiredSetting(account, CcbillDriver.FLEX_ID);
        String clientSubacc = requiredSetting(account, CcbillDriver.CLIENT_SUBACC);
        String salt = account.requiredSecret(CcbillDriver.SALT);
        String currencyCode = CcbillCurrencies.numeric(request.currency()).orElseThrow(
                () -> new CheckoutNotConfiguredException("CCBill takes no currency " + request.currency()));
        String price = twoDecimals(request);
        String period = Integer.toString(request.periodDays());

        Map<String, String> query = new LinkedHashMap<>();
        query.put("clientSubacc", clientSubacc);
        query.put("initialPrice", price);
        query.put("initialPeriod", period);
        String formDigest;
        if (request.isSubscription()) {
            String rebills = Integer.toString(request.rebills());
            query.put("recurringPrice", price);
            query.put("recurringPeriod", period);
            query.put("numRebills", rebills);
            formDigest = CcbillDigests.recurringFormDigest(price, period, price, period, rebills, currencyCode, salt);
        } else {
            formDigest = CcbillDigests.singleFormDigest(price, period, currencyCode, salt);
        }
        query.put("currencyCode", currencyCode);
        query.put("formDigest", formDigest);
        query.put(PASS_THROUGH_FIELD, request.checkoutId().toString());

        String url = BASE_URL + encode(flexId).replace("+", "%20") + "?" + queryString(query);
        return new CheckoutAction.Redirect(url, new CheckoutAction.PassThrough(
                "X-" + PASS_THROUGH_FIELD, request.checkoutId().toString()));
    }

    private static String requiredSetting(MerchantAccount account, String name) {
        return account.setting(name).map(String::trim).orElseThrow(
                () -> new CheckoutNotConfiguredException("the merchant account has no setting " + name));
    }

    /** FlexForms prices, and so the digest input, have exactly two decimals ({@code 10.00}). */
    private static String twoDecimals(CheckoutRequest request) {
        try {
            return request.amount().setScale(2, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new CheckoutNotConfiguredException("CCBill prices have two decimals, not " + request.amount());
        }
    }

    private static String queryString(Map<String, String> query) {
        return query.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
