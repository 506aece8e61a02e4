package com.fanzfinance.server.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log's canonical text and hash, exactly as docs/api.md tells an outside verifier to compute them: a change
 * here breaks every chain already written, so it must be deliberate.
 */
class AuditLogTest {
    private static final AuditLog.Action CANCEL = new AuditLog.Action("key_3f2a9c01b2d4", "girlfanz-finance", "api_key",
        "girlfanz", "POST", "/v1/payouts/0b7c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d/cancel",
        "0b7c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d", 200, null, "req-1", "creator asked, \"ticket\" 42 ✓");

    @Test
    void theCanonicalTextIsACompactJsonArrayWithMicrosecondsAndNulls() {
        assertThat(AuditLog.canonical(7, Instant.parse("2026-12-05T10:00:00Z"), CANCEL)).isEqualTo(
            "[7,\"2026-12-05T10:00:00.000000Z\",\"key_3f2a9c01b2d4\",\"girlfanz-finance\",\"api_key\",\"girlfanz\","
                + "\"POST\",\"/v1/payouts/0b7c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d/cancel\","
                + "\"0b7c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d\",200,null,\"req-1\",\"creator asked, \\\"ticket\\\" 42 ✓\"]");
    }

    @Test
    void theHashIsSha256OfThePreviousHashANewlineAndTheCanonicalText() throws Exception {
        Instant at = Instant.parse("2026-12-05T10:00:00.123456Z");
        String text = AuditLog.GENESIS + "\n" + AuditLog.canonical(1, at, CANCEL);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(AuditLog.hash(AuditLog.GENESIS, 1, at, CANCEL)).isEqualTo(expected);
        assertThat(AuditLog.hash(AuditLog.GENESIS, 2, at, CANCEL)).as("the id is in it").isNotEqualTo(expected);
        assertThat(AuditLog.hash("f".repeat(64), 1, at, CANCEL)).as("so is the previous hash").isNotEqualTo(expected);
    }
}
