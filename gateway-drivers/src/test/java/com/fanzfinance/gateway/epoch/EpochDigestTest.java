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
    void phpTrimLeavesOtherWhiteSpaceAlone() {
        assertThat(EpochDigest.phpTrim("\u0000 \u000B a b\r\n")).isEqualTo("a b");
        assertThat(EpochDigest.phpTrim("\u00A0a\u00A0")).isEqualTo("\u00A0a\u00A0");
    }
}
