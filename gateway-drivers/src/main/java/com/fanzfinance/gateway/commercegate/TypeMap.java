package com.fanzfinance.gateway.commercegate;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.support.KindMapping;
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
        return KindMapping.parse(BUILT_IN, setting, type -> type.toUpperCase(Locale.ROOT)).map(TypeMap::new);
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
}
