package com.fanzfinance.gateway.support;

import com.fanzfinance.gateway.PaymentKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A processor's event type (or status code) → payment kind map that an account's setting extends: a built-in text
 * and the setting, each {@code key:kind} pairs separated by commas, applied in that order (the setting adds or
 * overrides entries; {@code ignore} removes one). For processors whose type names the public record leaves
 * uncertain.
 */
public final class KindMapping {

    private KindMapping() {
    }

    /**
     * The built-in pairs with {@code setting} (may be null) applied, keys passed through {@code key} (e.g. to upper
     * case); empty when either text cannot be read (a pair without a key or colon, an unknown kind, a key of only
     * {@code *}).
     */
    public static Optional<Map<String, PaymentKind>> parse(String builtIn, String setting, UnaryOperator<String> key) {
        Map<String, PaymentKind> kinds = new LinkedHashMap<>();
        if (!apply(builtIn, kinds, key) || setting != null && !apply(setting, kinds, key)) {
            return Optional.empty();
        }
        return Optional.of(kinds);
    }

    private static boolean apply(String text, Map<String, PaymentKind> kinds, UnaryOperator<String> key) {
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                return false;
            }
            String name = key.apply(entry.substring(0, colon).trim());
            String kind = entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("*")) {
                return false;
            }
            if (kind.equals("ignore")) {
                kinds.remove(name);
                continue;
            }
            Optional<PaymentKind> known = PaymentKind.fromWireName(kind);
            if (known.isEmpty()) {
                return false;
            }
            kinds.put(name, known.get());
        }
        return true;
    }
}
