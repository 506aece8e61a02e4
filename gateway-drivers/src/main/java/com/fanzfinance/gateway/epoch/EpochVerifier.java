package com.fanzfinance.gateway.epoch;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.SourceAddresses;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code epoch_digest} with the current HMAC key, then the previous one during a rotation. A parameter sent
 * twice is refused ({@code digest}), since which value Epoch signed would be a guess. A correctly signed DataPlus
 * row whose {@code ets_co_code} is not the account's {@code co_code} is {@code account-mismatch}.
 */
final class EpochVerifier {

    private EpochVerifier() {
    }

    static Verification verify(Notification notification, MerchantAccount account) {
        String presented = null;
        Map<String, String> signed = new HashMap<>();
        for (Map.Entry<String, String> param : notification.parameters().entries()) {
            boolean digest = param.getKey().equals(EpochDigest.FIELD);
            if (digest ? presented != null : signed.containsKey(param.getKey())) {
                return Verification.unauthenticated("digest");
            }
            if (digest) {
                presented = param.getValue().trim();
            } else {
                signed.put(param.getKey(), param.getValue());
            }
        }
        Verification verification = presented == null || presented.isEmpty()
                ? unsigned(notification, account, signed)
                : signed(notification, account, signed, presented);
        if (verification instanceof Verification.Verified && !sameCompany(account, signed)) {
            return Verification.accountMismatch();
        }
        return verification;
    }

    private static Verification signed(Notification notification, MerchantAccount account, Map<String, String> signed,
                                       String presented) {
        EpochDigest.Variant variant = EpochDriver.flag(account, EpochDriver.STRIP_AMP_EQ)
                ? EpochDigest.Variant.STRIP_AMP_EQ : EpochDigest.Variant.STANDARD;
        MerchantAccount.Secrets secrets = account.secrets();
        Optional<String> current = secrets.current(EpochDriver.HMAC_KEY);
        Optional<String> previous = secrets.previous(EpochDriver.HMAC_KEY, notification.receivedAt());
        if (current.isEmpty() && previous.isEmpty()) {
            return Verification.unauthenticated("digest: no hmac_key configured");
        }
        if (current.isPresent() && EpochDigest.matches(variant, current.get(), signed, presented)) {
            return Verification.current();
        }
        if (previous.isPresent() && EpochDigest.matches(variant, previous.get(), signed, presented)) {
            return Verification.previous();
        }
        return Verification.unauthenticated("digest");
    }

    /** Only a DataPlus row, only with {@code dataplus_source_only}, and only from inside the account's allow-list. */
    private static Verification unsigned(Notification notification, MerchantAccount account, Map<String, String> signed) {
        boolean dataPlus = !signed.containsKey("ans") && signed.containsKey(EpochDataPlus.TYPE);
        List<String> allowList = account.ipAllowList();
        if (!dataPlus || !EpochDriver.flag(account, EpochDriver.DATAPLUS_SOURCE_ONLY)
                || allowList == null || allowList.isEmpty()) {
            return Verification.unauthenticated("digest: no epoch_digest");
        }
        try {
            return SourceAddresses.allowed(notification.peer(), allowList)
                    ? Verification.sourceOnly()
                    : Verification.unauthenticated("source address outside the ip_allow_list");
        } catch (IllegalArgumentException e) {
            return Verification.unauthenticated("ip_allow_list unreadable");
        }
    }

    private static boolean sameCompany(MerchantAccount account, Map<String, String> signed) {
        Optional<String> expected = account.setting(EpochDriver.CO_CODE).map(String::trim);
        String presented = signed.get("ets_co_code");
        return expected.isEmpty() || presented == null || presented.isBlank() || expected.get().equals(presented.trim());
    }
}
