package com.fanzfinance.platform.compliance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.compliance.ComplianceHarness.Creator;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

import static org.assertj.core.api.Assertions.assertThat;

/** The payout gate pushed to a real ledger server's payees (payments on), through the outbox and its pusher. */
class LedgerPushTest {
    @TempDir
    static Path data;
    private static PaymentsFixture ledger;
    private static String ledgerKey;
    private static ComplianceHarness h;

    @BeforeAll
    static void start() {
        ledger = PaymentsFixture.start(data);
        ledgerKey = ledger.server.createKey("girlfanz-compliance",
            "[\"payouts:read\",\"payouts:write\",\"compliance:write\"]", "[\"girlfanz\"]");
        h = new ComplianceHarness(ledger.server.base().toString(), ledgerKey);
    }

    @AfterAll
    static void stop() {
        h.close();
        ledger.close();
    }

    private static String createPayee(String creator) {
        TestServer.Response payee = ledger.server.postJson("/v1/payees", ledgerKey, """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","email":"jane@example.com","country":"US",
             "currency":"USD","rail":"ach","rail_details":{"routing_number":"011000015","account_number":"12345678",
             "account_type":"checking","holder_type":"individual"}}""".formatted(creator));
        assertThat(payee.status()).as(payee.text()).isEqualTo(201);
        return payee.json().path("id").asText();
    }

    private static JsonNode payee(String id) {
        TestServer.Response response = ledger.server.get("/v1/payees/" + id, ledgerKey);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Polls {@code read} until {@code done} holds, for at most 30 s; the last value read. */
    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode value = read.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            value = read.get();
        }
        assertThat(done.test(value)).as("not reached within 30 s: " + value).isTrue();
        return value;
    }

    @Test
    void aVerifiedCreatorWithTaxFormAndOwnRecordMayBePaid() throws InterruptedException {
        Creator creator = h.creator();
        String payeeId = createPayee(creator.id());
        assertThat(payee(payeeId).path("compliance").path("payout_allowed").asBoolean()).isFalse();

        h.verify(creator);
        JsonNode kycOnly = await(() -> payee(payeeId), p -> p.path("compliance").path("age").asText().equals("verified"));
        assertThat(kycOnly.path("compliance").path("kyc").asText()).isEqualTo("pending");
        assertThat(kycOnly.path("compliance").path("payout_allowed").asBoolean()).isFalse();

        h.taxForm(creator);
        h.record(creator, true);
        JsonNode paid = await(() -> payee(payeeId), p -> p.path("compliance").path("payout_allowed").asBoolean());
        assertThat(paid.path("compliance").path("kyc").asText()).isEqualTo("verified");
        assertThat(paid.path("compliance").path("records_2257").asText()).isEqualTo("on_file");

        JsonNode summary = await(() -> h.summary(creator, h.staff).json(),
            s -> s.path("ledger_sync").path("status").asText().equals("synced"));
        assertThat(summary.path("payout_allowed").asBoolean()).isTrue();
        assertThat(summary.path("ledger_sync").path("synced_version").asLong())
            .isEqualTo(summary.path("version").asLong());
        assertThat(summary.path("ledger_sync").path("last_error").isNull()).isTrue();
        assertThat(payee(payeeId).path("compliance").path("reference").asText())
            .isEqualTo("compliance:" + creator.id() + ":" + summary.path("version").asLong());
    }

    @Test
    void aPushWaitsForThePayeeAndIsDeliveredOnceItExists() throws InterruptedException {
        Creator creator = h.creator();
        h.verify(creator);
        h.taxForm(creator);
        h.record(creator, true);
        await(() -> h.summary(creator, h.staff).json(),
            s -> s.path("ledger_sync").path("status").asText().equals("waiting_for_payee"));

        ComplianceHarness.Answer forced = h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz",
            h.staff, "");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().path("status").asText()).isEqualTo("waiting_for_payee");
        assertThat(h.post("/v1/creators/" + creator.id() + "/compliance/push?tenant=girlfanz", creator.token(), "")
            .status()).isEqualTo(403);

        String payeeId = createPayee(creator.id());
        await(() -> h.summary(creator, h.staff).json(), s -> s.path("ledger_sync").path("status").asText().equals("synced"));
        assertThat(payee(payeeId).path("compliance").path("payout_allowed").asBoolean()).isTrue();
        assertThat(h.get("/v1/audit?tenant=girlfanz&limit=1000", h.staff).json().path("entries")
            .findValuesAsText("action")).contains("ledger.push");
    }
}
