package com.fanzfinance.gateway.segpay;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Accounts, postbacks and the documented templates for the Segpay tests. */
final class SegpayFixtures {

    static final String USER = "fanz-postbacks";
    static final String PASSWORD = "pw-Segpay-7Hq2xR";
    static final String OLD_PASSWORD = "pw-Segpay-old-3Lm8";
    static final String PEER = "203.0.113.41";
    static final String TRANS_SAMPLE =
            "samples/segpay/segpay_transpost_template_and_matrix__SegPayIntegrationAPIDocumentationForMerchants_v1.3.txt";
    static final String MEMBER_SAMPLE =
            "samples/segpay/segpay_member_mgmt_postback_templates__SegPayIntegrationAPIDocumentationForMerchants_v1.3.txt";

    private static final Pattern MACRO = Pattern.compile("<([A-Za-z0-9]+)>");

    private SegpayFixtures() {
    }

    /** An account with Basic credentials and no allow-list. */
    static MerchantAccount account() {
        return account(Map.of("basic_auth_username", USER), MerchantAccount.Secrets.of(Map.of("basic_auth_password", PASSWORD)), null);
    }

    static MerchantAccount account(Map<String, String> settings, MerchantAccount.Secrets secrets, List<String> ipAllowList) {
        return new MerchantAccount(UUID.fromString("6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a"), "girlfanz", "segpay",
                List.of("USD", "EUR"), settings, secrets, ipAllowList,
                "https://pay.example.test/hooks/segpay/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A GET with {@code query} and, unless {@code authorization} is null, that Authorization header. */
    static Notification get(String query, String authorization, String peer) {
        List<Map.Entry<String, String>> headers = authorization == null ? List.of() : List.of(Map.entry("Authorization", authorization));
        return new Notification("GET", "/hooks/segpay/6f1c5a52", query, headers, new byte[0], peer, Notifications.RECEIVED);
    }

    static Notification get(Map<String, String> params) {
        return get(encode(params), basic(USER, PASSWORD), PEER);
    }

    /** The payments API's TransPost template, filled in as Segpay would for an approved initial sale. */
    static Map<String, String> sale() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("postback", "trans");
        params.put("trantype", "sale");
        params.put("action", "auth");
        params.put("stage", "initial");
        params.put("approved", "yes");
        params.put("purchaseid", "70913221");
        params.put("tranid", "401223344");
        params.put("relatedtranid", "");
        params.put("price", "24.95");
        params.put("currencycode", "USD");
        params.put("transtime", "7/28/2008 3:38:43 PM");
        params.put("fanz_checkout_id", "4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
        return params;
    }

    static Map<String, String> with(Map<String, String> params, String... pairs) {
        Map<String, String> changed = new LinkedHashMap<>(params);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                changed.remove(pairs[i]);
            } else {
                changed.put(pairs[i], pairs[i + 1]);
            }
        }
        return changed;
    }

    static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /**
     * The query of a template in a sample file, between two headings (compared without white space, which the PDF
     * extraction scattered through words), with each {@code <macro>} replaced by its URL-encoded value in
     * {@code macros} (white space removed from macro names too; {@code x} for a macro not given).
     */
    static String filledTemplate(String sample, String from, String to, Map<String, String> macros) {
        String text = Notifications.resource(sample).replaceAll("\\s+", "");
        int start = text.indexOf(from.replaceAll("\\s+", ""));
        int end = text.indexOf(to.replaceAll("\\s+", ""), start + 1);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("no template between " + from + " and " + to);
        }
        String template = text.substring(start, end);
        template = template.substring(template.indexOf("scriptname.php?") + "scriptname.php?".length());
        Matcher macro = MACRO.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (macro.find()) {
            String value = macros.getOrDefault(macro.group(1), "x");
            macro.appendReplacement(filled, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        macro.appendTail(filled);
        return filled.toString();
    }
}
