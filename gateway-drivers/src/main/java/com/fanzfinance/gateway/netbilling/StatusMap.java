package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.support.KindMapping;
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
        return KindMapping.parse(BUILT_IN, setting, code -> code).map(StatusMap::new);
    }

    Optional<PaymentKind> kind(String code) {
        return Optional.ofNullable(kinds.get(code.trim()));
    }
}
