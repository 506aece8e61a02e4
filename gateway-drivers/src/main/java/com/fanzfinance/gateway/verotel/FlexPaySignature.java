package com.fanzfinance.gateway.verotel;

import com.fanzfinance.gateway.support.Digests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verotel FlexPay's signature: the hex digest of the signature key and every {@code key=value} pair (decoded
 * values, keys in byte order) joined with {@code :}. The same scheme signs postbacks and the {@code /startorder}
 * URL, so one implementation serves both and a checkout URL can be checked by the verification code.
 */
final class FlexPaySignature {

    /** The digest a FlexPay signature uses; the processor tells them apart by length. */
    enum Algorithm {
        SHA256(64),
        SHA1(40);

        private final int hexLength;

        Algorithm(int hexLength) {
            this.hexLength = hexLength;
        }

        /** The algorithm that produces a digest as long as {@code signature}, if any. */
        static Optional<Algorithm> forSignature(String signature) {
            for (Algorithm algorithm : values()) {
                if (signature.length() == algorithm.hexLength) {
                    return Optional.of(algorithm);
                }
            }
            return Optional.empty();
        }
    }

    private FlexPaySignature() {
    }

    /** The lower-case hex signature of {@code params} (which must not hold {@code signature}) with {@code key}. */
    static String sign(Algorithm algorithm, String key, Map<String, String> params) {
        String text = signedText(key, params);
        return algorithm == Algorithm.SHA256 ? Digests.sha256Hex(text) : Digests.sha1Hex(text);
    }

    /** Whether {@code presented} is the signature of {@code params} with {@code key}, in constant time. */
    static boolean matches(Algorithm algorithm, String key, Map<String, String> params, String presented) {
        return Digests.hexEquals(sign(algorithm, key, params), presented);
    }

    /** The text that is hashed. It holds the key: package-private so that tests can check it, never shown. */
    static String signedText(String key, Map<String, String> params) {
        List<String> names = new ArrayList<>(params.keySet());
        names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        StringBuilder text = new StringBuilder(key);
        for (String name : names) {
            text.append(':').append(name).append('=').append(params.get(name));
        }
        return text.toString();
    }
}
