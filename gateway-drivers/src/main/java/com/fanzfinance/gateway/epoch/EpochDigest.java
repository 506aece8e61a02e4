package com.fanzfinance.gateway.epoch;

import com.fanzfinance.gateway.support.Digests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Epoch's {@code epoch_digest}: the lower-case hex HMAC-MD5, keyed with the merchant's HMAC key, of every received
 * parameter but {@code epoch_digest}, names in byte order (PHP {@code ksort}), each as name followed by value with
 * no separator. Two public clients differ in how they prepare the pairs, and Epoch's own description is not public,
 * so the account chooses ({@code strip_amp_eq}):
 * <ul>
 *   <li>{@link Variant#STANDARD} (default): a value PHP calls {@code empty()} ({@code ""} or {@code "0"}) is left out
 *       with its name, and each value is trimmed of surrounding whitespace (PHP {@code trim}); the published test
 *       vector is of this form;</li>
 *   <li>{@link Variant#STRIP_AMP_EQ}: every pair is kept, and names and values lose surrounding whitespace and every
 *       {@code &} and {@code =} character.</li>
 * </ul>
 * Whether Epoch itself leaves out {@code "0"} values, as PHP's {@code empty()} does, or only empty ones, as the
 * written description says, is not known: with the standard preparation {@link #matches} accepts either (both are
 * keyed with the merchant's secret, so accepting both lets nobody forge a digest).
 */
final class EpochDigest {

    static final String FIELD = "epoch_digest";

    private static final Pattern EDGE_WHITESPACE = Pattern.compile("^\\s+|\\s+$");
    private static final Pattern AMP_EQ = Pattern.compile("[&=]+");

    /** How the pairs are prepared. */
    enum Variant {
        STANDARD,
        STRIP_AMP_EQ,
        /** As {@link #STANDARD}, but only empty values are left out ({@code "0"} is signed). */
        ZEROS_KEPT
    }

    private EpochDigest() {
    }

    /** The hex digest of {@code params} (which must not hold {@code epoch_digest}) with {@code key}. */
    static String sign(Variant variant, String key, Map<String, String> params) {
        return Digests.hmacMd5Hex(key, signedText(variant, params).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code presented} is the digest of {@code params} with {@code key}, compared in constant time. */
    static boolean matches(Variant variant, String key, Map<String, String> params, String presented) {
        if (Digests.hexEquals(sign(variant, key, params), presented)) {
            return true;
        }
        return variant == Variant.STANDARD && params.containsValue("0")
                && Digests.hexEquals(Digests.hmacMd5Hex(key, signedText(Variant.ZEROS_KEPT, params)
                        .getBytes(StandardCharsets.UTF_8)), presented);
    }

    /** The text the HMAC covers (it holds no key). */
    static String signedText(Variant variant, Map<String, String> params) {
        List<String> names = new ArrayList<>(params.keySet());
        names.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            String value = params.get(name);
            if (variant == Variant.STANDARD || variant == Variant.ZEROS_KEPT) {
                if (!value.isEmpty() && (variant == Variant.ZEROS_KEPT || !value.equals("0"))) {
                    text.append(name).append(phpTrim(value));
                }
            } else {
                text.append(strip(name)).append(strip(value));
            }
        }
        return text.toString();
    }

    /** PHP's {@code trim}: space, tab, newline, carriage return, NUL and vertical tab at either end. */
    static String phpTrim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && " \t\n\r\0\u000B".indexOf(value.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && " \t\n\r\0\u000B".indexOf(value.charAt(end - 1)) >= 0) {
            end--;
        }
        return value.substring(start, end);
    }

    private static String strip(String text) {
        return AMP_EQ.matcher(EDGE_WHITESPACE.matcher(text).replaceAll("")).replaceAll("");
    }
}
