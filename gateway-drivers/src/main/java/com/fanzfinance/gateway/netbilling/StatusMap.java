package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.PaymentKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which payment kind each {@code Ecom_Ezic_Response_StatusCode} is. Built in: {@code 1} sale, {@code 0} failure (the
 * only codes the public material explains). The account's {@code status_map} setting adds or overrides entries,
 * {@code code:kind} pairs separated by commas, e.g. {@code F:failure,T:ignore}; {@code ignore} removes a code. A code
 * the map does not hold is ignored by the driver.
 */
final class StatusMap {

    static final String SETTING = "status_map";
    static final String BUILT_IN = "1:sale,0:failure";

    private final Map<String, PaymentKind> kinds;

    private StatusMap(Map<String, PaymentKind> kinds) {
        this.kinds = kinds;
    }

    /** The built-in map with {@code setting} applied; empty when the setting cannot be read. */
    static Optional<StatusMap> of(String setting) {
        Map<String, PaymentKind> kinds = new LinkedHashMap<>();
        if (!apply(BUILT_IN, kinds) || setting != null && !apply(setting, kinds)) {
            return Optional.empty();
        }
        return Optional.of(new StatusMap(kinds));
    }

    Optional<PaymentKind> kind(String code) {
        return Optional.ofNullable(kinds.get(code.trim()));
    }

    private static boolean apply(String text, Map<String, PaymentKind> kinds) {
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                return false;
            }
            String code = entry.substring(0, colon).trim();
            String kind = entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (code.isEmpty()) {
                return false;
            }
            if (kind.equals("ignore")) {
                kinds.remove(code);
                continue;
            }
            Optional<PaymentKind> known = PaymentKind.fromWireName(kind);
            if (known.isEmpty()) {
                return false;
            }
            kinds.put(code, known.get());
        }
        return true;
    }
}
