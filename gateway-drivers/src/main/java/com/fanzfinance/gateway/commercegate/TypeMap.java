package com.fanzfinance.gateway.commercegate;

import com.fanzfinance.gateway.PaymentKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which payment kind each CommerceGate {@code TransactionType} is. Built in, from the one public handler:
 * {@code SALE} sale, {@code REBILL} rebill, {@code CANCELMEMBERSHIP*} (e.g. {@code CANCELMEMBERSHIPNOTIFY})
 * cancellation. Refund, chargeback and void type names are not public: the account's {@code type_map} setting adds
 * or overrides entries, {@code TYPE:kind} pairs separated by commas (e.g. {@code REFUND:refund,CHARGEBACK:chargeback});
 * a type ending in {@code *} matches every type starting with the rest; {@code ignore} removes an entry. Types are
 * compared without case; an exact entry wins over a prefix, a longer prefix over a shorter one.
 */
final class TypeMap {

    static final String SETTING = "type_map";
    static final String BUILT_IN = "SALE:sale,REBILL:rebill,CANCELMEMBERSHIP*:cancellation";

    private final Map<String, PaymentKind> kinds;

    private TypeMap(Map<String, PaymentKind> kinds) {
        this.kinds = kinds;
    }

    /** The built-in map with {@code setting} applied; empty when the setting cannot be read. */
    static Optional<TypeMap> of(String setting) {
        Map<String, PaymentKind> kinds = new LinkedHashMap<>();
        if (!apply(BUILT_IN, kinds) || setting != null && !apply(setting, kinds)) {
            return Optional.empty();
        }
        return Optional.of(new TypeMap(kinds));
    }

    Optional<PaymentKind> kind(String type) {
        String wanted = type.trim().toUpperCase(Locale.ROOT);
        PaymentKind exact = kinds.get(wanted);
        if (exact != null) {
            return Optional.of(exact);
        }
        String longest = null;
        for (String key : kinds.keySet()) {
            if (key.endsWith("*")) {
                String prefix = key.substring(0, key.length() - 1);
                if (wanted.startsWith(prefix) && (longest == null || prefix.length() > longest.length() - 1)) {
                    longest = key;
                }
            }
        }
        return Optional.ofNullable(longest == null ? null : kinds.get(longest));
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
            String type = entry.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            String kind = entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty() || type.equals("*")) {
                return false;
            }
            if (kind.equals("ignore")) {
                kinds.remove(type);
                continue;
            }
            Optional<PaymentKind> known = PaymentKind.fromWireName(kind);
            if (known.isEmpty()) {
                return false;
            }
            kinds.put(type, known.get());
        }
        return true;
    }
}
