package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.support.Digests;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NETbilling's form integrity hash: {@code Ecom_Ezic_Security_HashValue_MD5} = MD5 of the Integrity Key followed by
 * the values of the fields named, space-separated and in that order, in {@code Ecom_Ezic_Security_HashFields}.
 * NETbilling refuses a payment form whose hash does not match (so the fan cannot change the price), and echoes the
 * form's fields — both hash fields included — in its postback, where the driver checks the hash again.
 */
final class IntegrityHash {

    static final String FIELDS = "Ecom_Ezic_Security_HashFields";
    static final String VALUE = "Ecom_Ezic_Security_HashValue_MD5";
    static final int FIELDS_MAX = 64;

    private IntegrityHash() {
    }

    /** The hash of {@code values} (in order) with {@code key}, lower-case hex. */
    static String of(String key, List<String> values) {
        StringBuilder text = new StringBuilder(key);
        values.forEach(text::append);
        return Digests.md5Hex(text.toString());
    }

    /** The field names a postback's {@code Ecom_Ezic_Security_HashFields} lists; empty when absent or unusable. */
    static Optional<List<String>> fieldsOf(Notification.Parameters parameters) {
        Optional<String> listed = parameters.nonBlank(FIELDS);
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (String name : listed.get().trim().split(" +")) {
            if (name.isEmpty() || name.equals(FIELDS) || name.equals(VALUE) || names.size() >= FIELDS_MAX) {
                return Optional.empty();
            }
            names.add(name);
        }
        return Optional.of(names);
    }

    /**
     * Whether the postback's hash matches {@code key} over the fields it lists (a listed field that is absent counts
     * as empty, as NETbilling hashes an empty form field), compared in constant time and case-insensitively.
     */
    static boolean matches(Notification.Parameters parameters, List<String> fields, String key) {
        Optional<String> presented = parameters.nonBlank(VALUE);
        if (presented.isEmpty()) {
            return false;
        }
        List<String> values = new ArrayList<>();
        for (String field : fields) {
            values.add(parameters.first(field).orElse(""));
        }
        return Digests.hexEquals(of(key, values), presented.get());
    }
}
