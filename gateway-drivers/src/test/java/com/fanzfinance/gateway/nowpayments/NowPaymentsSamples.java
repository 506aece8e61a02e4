package com.fanzfinance.gateway.nowpayments;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.util.List;
import java.util.Map;

/** The saved NOWPayments sample: the production KAT (secret, signature, raw body) and two unsigned bodies. */
final class NowPaymentsSamples {

    static final String FILE = "samples/nowpayments/nowpayments_ipn_finished_with_signature_KAT__ruby_nowpayments_spec.txt";

    private static final List<String> LINES = Notifications.resource(FILE).lines().toList();

    static final String SECRET = value("ipn_secret: ");
    static final String SIGNATURE = value("x-nowpayments-sig: ");
    static final String FINISHED_BODY = lineAfter("raw body (exact, single line):");
    static final String WAITING_BODY = bodyContaining("\"payment_status\":\"waiting\"");
    static final String CONFIRMING_BODY = bodyContaining("\"payment_status\":\"confirming\"");

    private NowPaymentsSamples() {
    }

    @SafeVarargs
    static Notification ipn(String body, Map.Entry<String, String>... headers) {
        return Notifications.post("nowpayments", "", "application/json", body, "51.89.194.21", headers);
    }

    static Notification signed(String body, String signature) {
        return ipn(body, Map.entry("x-nowpayments-sig", signature));
    }

    static MerchantAccount account(Map<String, String> secrets) {
        return Notifications.account("nowpayments", Map.of(), secrets);
    }

    static MerchantAccount account(MerchantAccount.Secrets secrets) {
        return Notifications.account("nowpayments", Map.of(), secrets);
    }

    private static String value(String prefix) {
        return LINES.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()).trim())
                .orElseThrow(() -> new IllegalStateException("no " + prefix + "in " + FILE));
    }

    private static String lineAfter(String marker) {
        int index = LINES.indexOf(marker);
        if (index < 0) {
            throw new IllegalStateException("no " + marker + " in " + FILE);
        }
        return LINES.get(index + 1);
    }

    private static String bodyContaining(String text) {
        return LINES.stream().filter(line -> line.startsWith("{") && line.contains(text)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no body with " + text + " in " + FILE));
    }
}
