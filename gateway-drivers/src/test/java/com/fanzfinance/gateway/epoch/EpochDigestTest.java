package com.fanzfinance.gateway.epoch;

import static com.fanzfinance.gateway.epoch.EpochFixtures.KAT_DIGEST;
import static com.fanzfinance.gateway.epoch.EpochFixtures.KAT_KEY;
import static com.fanzfinance.gateway.epoch.EpochFixtures.samplePayload;
import static com.fanzfinance.gateway.epoch.EpochFixtures.sampleLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.epoch.EpochDigest.Variant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochDigestTest {

    @Test
    void theSamplesSignedTextAndDigestAreReproduced() {
        assertThat(EpochDigest.signedText(Variant.STANDARD, samplePayload())).isEqualTo(sampleLine("string"));
        assertThat(sampleLine("epoch_digest")).isEqualTo(KAT_DIGEST);
        assertThat(EpochDigest.sign(Variant.STANDARD, KAT_KEY, samplePayload())).isEqualTo(KAT_DIGEST);
        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY, samplePayload(), KAT_DIGEST.toUpperCase())).isTrue();
        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY + "0", samplePayload(), KAT_DIGEST)).isFalse();
    }

    @Test
    void theStandardTextSortsByNameSkipsWhatPhpCallsEmptyAndTrimsValues() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("b", " x&y \t");
        params.put("a", "");
        params.put("c", "0");
        params.put("B", "=1");
        params.put("d", "00");

        assertThat(EpochDigest.signedText(Variant.STANDARD, params)).isEqualTo("B=1bx&yd00");
    }

    @Test
    void theStripVariantKeepsEmptyValuesAndDropsAmpersandsAndEqualsSigns() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("b", " x&y \t");
        params.put("a", "");
        params.put("c", "0");
        params.put("B", "=1");
        params.put("d&", "a==b");

        assertThat(EpochDigest.signedText(Variant.STRIP_AMP_EQ, params)).isEqualTo("B1abxyc0dab");
    }

    @Test
    void aZeroValueVerifiesWhetherEpochSignsItOrNot() throws Exception {
        Map<String, String> params = new LinkedHashMap<>(Map.of("ans", "Y1|2", "trans_amount", "0", "transaction_id", "7"));
        // Signed independently here with the JDK: once leaving "0" out (PHP empty()), once signing it.
        String without = hmacMd5(KAT_KEY, "ansY1|2transaction_id7");
        String with = hmacMd5(KAT_KEY, "ansY1|2trans_amount0transaction_id7");

        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY, params, without)).isTrue();
        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY, params, with)).isTrue();
        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY, params, hmacMd5("another key", "ansY1|2transaction_id7")))
                .isFalse();
        assertThat(EpochDigest.matches(Variant.STANDARD, KAT_KEY, Map.of("ans", "Y1|2", "trans_amount", "5",
                "transaction_id", "7"), with)).as("a changed amount").isFalse();
    }

    private static String hmacMd5(String key, String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacMD5"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void phpTrimLeavesOtherWhiteSpaceAlone() {
        assertThat(EpochDigest.phpTrim("\u0000 \u000B a b\r\n")).isEqualTo("a b");
        assertThat(EpochDigest.phpTrim("\u00A0a\u00A0")).isEqualTo("\u00A0a\u00A0");
    }
}
