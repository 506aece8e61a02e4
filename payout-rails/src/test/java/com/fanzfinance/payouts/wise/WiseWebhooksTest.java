package com.fanzfinance.payouts.wise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.payouts.rail.RailStatus;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WiseWebhooksTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WiseWebhooksTest.class.getResourceAsStream("/wise/" + name)) {
            return in.readAllBytes();
        }
    }

    private static String katSignature() throws IOException {
        List<String> lines = new String(resource("webhook-signature-kat.txt"), StandardCharsets.UTF_8).lines().toList();
        return lines.get(lines.indexOf("X-Signature-SHA256:") + 1).strip();
    }

    /** Wise's own known answer: the sample body, its X-Signature-SHA256 and the sandbox public key. */
    @Test
    void wisesSampleSignatureVerifiesWithTheSandboxKeyAndNothingElse() throws IOException {
        byte[] body = resource("webhook-state-change-body.json");
        String signature = katSignature();
        assertThat(WiseWebhooks.verify(body, signature, WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM)))
            .isTrue();

        byte[] flipped = body.clone();
        flipped[10] ^= 1;
        assertThat(WiseWebhooks.verify(flipped, signature,
            WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM))).isFalse();
        byte[] withNewline = java.util.Arrays.copyOf(body, body.length + 1);
        withNewline[body.length] = '\n';
        assertThat(WiseWebhooks.verify(withNewline, signature,
            WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM))).isFalse();
        assertThat(WiseWebhooks.verify(body, signature,
            WiseWebhooks.publicKey(WiseWebhooks.PRODUCTION_PUBLIC_KEY_PEM))).isFalse();
        assertThat(WiseWebhooks.verify(body, "not base64!", WiseWebhooks.publicKey(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM)))
            .isFalse();
    }

    @Test
    void theKeyConstantsAreThePublishedKeys() throws IOException {
        String kat = new String(resource("webhook-signature-kat.txt"), StandardCharsets.UTF_8);
        assertThat(kat).contains(WiseWebhooks.SANDBOX_PUBLIC_KEY_PEM.strip())
            .contains(WiseWebhooks.PRODUCTION_PUBLIC_KEY_PEM.strip());
    }

    @Test
    void theSampleStateChangeIsReadAndChangesNothing() throws IOException {
        WiseEvent event = WiseWebhooks.parse(resource("webhook-state-change-body.json"));
        assertThat(event.eventType()).isEqualTo("transfers#state-change");
        assertThat(event.resourceId()).isEqualTo("49983981");
        assertThat(event.currentState()).isEqualTo("incoming_payment_waiting");
        assertThat(event.previousState()).isNull();
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2021-08-23T10:12:50Z"));
        assertThat(event.schemaVersion()).isEqualTo("2.0.0");
        assertThat(event.profileId()).isEqualTo("16055450");
        assertThat(WiseWebhooks.status(event)).isEmpty();
    }

    /** The payout-failure and refund examples of Wise's "Event types" page (copied in wise-docs-examples.txt). */
    @Test
    void payoutFailureAndRefundEventsFromWisesDocs() throws IOException {
        List<String> blocks = jsonBlocks(new String(resource("wise-docs-examples.txt"), StandardCharsets.UTF_8));
        WiseEvent stateChange = WiseWebhooks.parse(blocks.get(0).getBytes(StandardCharsets.UTF_8));
        WiseEvent failure = WiseWebhooks.parse(blocks.get(1).getBytes(StandardCharsets.UTF_8));
        WiseEvent refund = WiseWebhooks.parse(blocks.get(2).getBytes(StandardCharsets.UTF_8));

        assertThat(stateChange.currentState()).isEqualTo("processing");
        assertThat(stateChange.previousState()).isEqualTo("incoming_payment_waiting");
        assertThat(WiseWebhooks.status(stateChange)).isEmpty();

        assertThat(failure.eventType()).isEqualTo("transfers#payout-failure");
        assertThat(failure.resourceId()).isEqualTo("111");
        assertThat(failure.failureCode()).isEqualTo("WRONG_ID_NUMBER");
        assertThat(failure.failureDescription()).isEqualTo("Invalid recipient's ID document number");
        assertThat(failure.occurredAt()).isEqualTo(Instant.parse("2023-08-10T10:17:23Z"));
        assertThat(failure.profileId()).isEqualTo("222");
        // a funded transfer whose bank payout failed may still be delivered: recorded and polled, never FAILED
        assertThat(WiseWebhooks.status(failure)).isEmpty();

        assertThat(refund.eventType()).isEqualTo("transfers#refund");
        assertThat(refund.resourceId()).isEqualTo("111");
        assertThat(refund.refundAmount()).isEqualByComparingTo(new BigDecimal("5000"));
        assertThat(refund.refundCurrency()).isEqualTo("EUR");
        assertThat(refund.profileId()).isEqualTo("222");
        assertThat(stateChange.profileId()).isEqualTo("222");
        assertThat(WiseWebhooks.status(refund)).contains(RailStatus.RETURNED);
    }

    @Test
    void stateChangesMapToTheContract() {
        assertThat(status("outgoing_payment_sent")).contains(RailStatus.SETTLED);
        assertThat(status("bounced_back")).contains(RailStatus.RETURNED);
        assertThat(status("funds_refunded")).contains(RailStatus.RETURNED);
        assertThat(status("charged_back")).contains(RailStatus.RETURNED);
        assertThat(status("cancelled")).contains(RailStatus.FAILED);
        assertThat(status("processing")).isEmpty();
        assertThat(status("funds_converted")).isEmpty();
        assertThat(WiseWebhooks.status(new WiseEvent("balances#credit", null, null, null, null, null, null, null, null,
            null, null, null))).isEmpty();
        assertThat(WiseWebhooks.parse("{\"event_type\":\"transfers#state-change\",\"data\":{\"resource\":{\"id\":5}}}"
            .getBytes(StandardCharsets.UTF_8)).profileId()).isNull();
    }

    @Test
    void junkAndOversizedBodiesAreRefused() {
        assertThatThrownBy(() -> WiseWebhooks.parse("not json".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiseWebhooks.parse("{\"data\":{}}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiseWebhooks.parse(new byte[WiseWebhooks.MAX_BODY_BYTES + 1]))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiseWebhooks.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static Optional<RailStatus> status(String state) {
        return WiseWebhooks.status(new WiseEvent("transfers#state-change", "1", state, "processing", null, null, null,
            null, null, null, "2.0.0", "222"));
    }

    /** The top-level JSON objects of a text: from a line "{" to the next line "}". */
    private static List<String> jsonBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.lines().toList()) {
            if (line.equals("{")) {
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
                if (line.equals("}")) {
                    blocks.add(current.toString());
                    current = null;
                }
            }
        }
        return blocks;
    }
}
