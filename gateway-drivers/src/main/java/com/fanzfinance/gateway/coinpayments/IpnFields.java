package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.Notification;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A legacy IPN's form fields, read from the raw body whatever its {@code Content-Type} says (the signature covers
 * the body, not the header). A field sent twice has no value rather than one of its values picked: PHP keeps the
 * last, other readers the first. A body that is not UTF-8 has no fields.
 */
final class IpnFields {

    private final Map<String, String> values;
    private final Set<String> repeated;

    private IpnFields(Map<String, String> values, Set<String> repeated) {
        this.values = values;
        this.repeated = repeated;
    }

    static IpnFields of(Notification notification) {
        Map<String, String> values = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        Notification.Parameters parameters = notification.bodyText().map(Notification.Parameters::parseForm)
                .orElse(Notification.Parameters.EMPTY);
        for (Map.Entry<String, String> entry : parameters.entries()) {
            if (values.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                repeated.add(entry.getKey());
            }
        }
        return new IpnFields(values, repeated);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The field's trimmed value when sent once and not blank. */
    Optional<String> value(String name) {
        String value = values.get(name);
        if (value == null || repeated.contains(name)) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? Optional.empty() : Optional.of(trimmed);
    }

    /** Whether the field was sent more than once. */
    boolean repeated(String name) {
        return repeated.contains(name);
    }
}
