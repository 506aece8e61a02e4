package com.fanzfinance.gateway.verotel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.verotel.FlexPaySignature.Algorithm;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlexPaySignatureTest {

    /** verotel/flexpay-php-client's vector: SHA-1 asserted upstream, SHA-256 computed over the same text. */
    static final String KAT_KEY = "zpXwe2D77g4P7ysGJcr3rY87TBYs6J";
    static final String KAT_SHA1 = "fc63f38e2722d2e5bc4f2044ad3ffb2051e89643";
    static final String KAT_SHA256 = "e50b4e92fcd0a21114d3bf3a64f888edfbc784df170e70ee165c4350fe9ffc3c";

    @Test
    void knownAnswerVectorOfTheOfficialClient() {
        Map<String, String> params = new HashMap<>(VerotelFixtures.katParams());
        assertThat(params).hasSize(15).containsEntry("description", "My Dščřčřřěřě&?=blah123")
                .containsEntry("name", "My name").doesNotContainKey("shopID");
        params.put("shopID", "68849");

        assertThat(FlexPaySignature.signedText(KAT_KEY, params)).isEqualTo(VerotelFixtures.katSignedText());
        assertThat(FlexPaySignature.sign(Algorithm.SHA1, KAT_KEY, params)).isEqualTo(KAT_SHA1);
        assertThat(FlexPaySignature.sign(Algorithm.SHA256, KAT_KEY, params)).isEqualTo(KAT_SHA256);
        assertThat(FlexPaySignature.matches(Algorithm.SHA256, KAT_KEY, params, KAT_SHA256.toUpperCase())).isTrue();
        assertThat(FlexPaySignature.matches(Algorithm.SHA256, KAT_KEY + "x", params, KAT_SHA256)).isFalse();
    }

    @Test
    void keysAreSortedInByteOrder() {
        Map<String, String> params = Map.of("a", "1", "B", "2", "_", "3", "Ab", "4");
        assertThat(FlexPaySignature.signedText("k", params)).isEqualTo("k:Ab=4:B=2:_=3:a=1");
    }

    @Test
    void algorithmFollowsTheSignatureLength() {
        assertThat(Algorithm.forSignature(KAT_SHA256)).contains(Algorithm.SHA256);
        assertThat(Algorithm.forSignature(KAT_SHA1)).contains(Algorithm.SHA1);
        assertThat(Algorithm.forSignature(KAT_SHA1 + "00")).isEmpty();
        assertThat(Algorithm.forSignature("")).isEmpty();
    }
}
