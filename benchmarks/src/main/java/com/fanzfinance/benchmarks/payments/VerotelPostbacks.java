package com.fanzfinance.benchmarks.payments;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verotel FlexPay postbacks signed as Verotel signs them: SHA-256 (lower-case hex) of the signature key and
 * the parameters sorted by name, {@code key:name=value:name=value…}. Written independently of the driver's
 * signer, so the benchmark also shows the driver accepts what the processor sends.
 */
final class VerotelPostbacks {
    private final String signatureKey;
    private final String shopId;

    VerotelPostbacks(String signatureKey, String shopId) {
        this.signatureKey = signatureKey;
        this.shopId = shopId;
    }

    /** The postback of a first sale ({@code initial}) for a checkout ({@code referenceID}). */
    String sale(String transaction, long grossMinor, String checkoutId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("event", "initial");
        params.put("transactionID", transaction);
        params.put("saleID", "s" + transaction);
        params.put("amount", decimal(grossMinor));
        params.put("currency", "USD");
        params.put("referenceID", checkoutId);
        return signedQuery(params);
    }

    /** The postback of a refund ({@code credit}) of {@code amountMinor} against the sale {@code parent}. */
    String refund(String transaction, String parent, long amountMinor) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("event", "credit");
        params.put("transactionID", transaction);
        params.put("parentID", parent);
        params.put("saleID", "s" + parent);
        params.put("amount", decimal(amountMinor));
        params.put("currency", "USD");
        return signedQuery(params);
    }

    /** USD minor units as FlexPay writes amounts: {@code 19.99}. */
    static String decimal(long minor) {
        return minor / 100 + "." + (minor % 100 < 10 ? "0" : "") + minor % 100;
    }

    private String signedQuery(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("shopID", shopId);
        List<String> names = new ArrayList<>(all.keySet());
        names.sort(null);
        StringBuilder signed = new StringBuilder(signatureKey);
        for (String name : names) {
            signed.append(':').append(name).append('=').append(all.get(name));
        }
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> entry : all.entrySet()) {
            query.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).append('&');
        }
        return query.append("signature=").append(sha256Hex(signed.toString())).toString();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
