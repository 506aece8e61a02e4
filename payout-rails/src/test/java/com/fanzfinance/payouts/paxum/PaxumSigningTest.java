package com.fanzfinance.payouts.paxum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaxumSigningTest {

    /** Paxum's own "Example 1" (API 2.0.0), read from the copied doc excerpt: secret, URL and the recomputed hex. */
    @Test
    void v2SignatureMatchesPaxumsExample() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/paxum/paxum-docs-samples.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        String secret = value(lines, "Secret Key ");
        String url = value(lines, "Request Url ");
        String expected = lines.stream().filter(l -> l.matches("[0-9a-f]{64}")).findFirst().orElseThrow();
        assertThat(secret).isEqualTo("iFK7L5K06KBlcIRUespQxRCtcxolknTGdHG0e4O31eM=");
        assertThat(url).isEqualTo("/v2/account/590900/transactions?limit=3");
        assertThat(PaxumSigning.v2Signature(secret, url))
            .isEqualTo(expected)
            .isEqualTo("aa6ecd0b6f5c3f90763a4c068a6d991ddb24f8e667411437761ed81c72da57b8");
        assertThat(PaxumSigning.v2Signature(secret, url + "0")).isNotEqualTo(expected);
    }

    /** Expected values computed outside Java: python3 hashlib.md5(b'sHaReD' + b'payee@example.com' + …). */
    @Test
    void transferFundsKeyConcatenatesTheSecretAndTheFieldsInOrderWithAbsentOnesEmpty() {
        Map<String, String> fields = Map.of("method", "transferFunds", "fromEmail", "api@brand.example",
            "toEmail", "payee@example.com", "amount", "10.00", "currency", "USD", "note", "ref123",
            "reference", "ref123");
        assertThat(PaxumSigning.legacyKey("sHaReD", PaxumSigning.TRANSFER_FUNDS_KEY_FIELDS, fields))
            .isEqualTo("12ac8db8b5f870dcef3146a59d142e35");
        assertThat(PaxumSigning.legacyKey("sHaReD", PaxumSigning.BALANCE_INQUIRY_KEY_FIELDS,
            Map.of("accountId", "590900"))).isEqualTo("61bf1b55867b384d2760d9edabae5d1d");
    }

    @Test
    void everyDefinitiveRefusalIsInTheCodeTableAndSuccessAndSystemErrorAreNot() {
        assertThat(PaxumCodes.MEANINGS.keySet()).containsAll(PaxumCodes.DEFINITIVE_REFUSALS);
        assertThat(PaxumCodes.isDefinitiveRefusal("00")).isFalse();
        assertThat(PaxumCodes.isDefinitiveRefusal("13")).isFalse();
        assertThat(PaxumCodes.isDefinitiveRefusal("51")).isTrue();
        assertThat(PaxumCodes.meaning("51")).isEqualTo("NOT_SUFFICIENT_FUNDS");
        assertThat(PaxumCodes.meaning("ZZ")).isEqualTo("UNKNOWN_CODE");
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
            .substring(prefix.length()).strip();
    }
}
