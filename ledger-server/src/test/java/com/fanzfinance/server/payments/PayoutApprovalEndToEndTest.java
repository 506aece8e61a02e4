package com.fanzfinance.server.payments;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.payouts.sim.PaxumSimulator;
import com.fanzfinance.server.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payout approval and operator holds over real HTTP against a real server and PostgreSQL: a payout reaching the rail
 * account's {@code approval_threshold} waits for another key's approval, a held one for its release, and neither a
 * batch nor an API rail (the Paxum simulator) takes it before.
 */
class PayoutApprovalEndToEndTest {
    private static final String ACH_SETTINGS = PaymentsFixture.ACH_SETTINGS;
    private static final String PAXUM_FROM = "payouts@girlfanz.test";

    @TempDir
    Path data;
    private PaymentsFixture fixture;
    private TestServer server;
    /** Requests payouts (and may approve, hold and release them: it has payouts:admin too). */
    private Key requester;
    /** Finance: payouts:admin and payouts:read only. */
    private Key finance;
    private PayoutSteps steps;

    /** A key's public id and its secret. */
    private record Key(String id, String secret) {
    }

    @BeforeEach
    void start() {
        fixture = PaymentsFixture.start(data, Map.of("FANZ_RAIL_TIMEOUT_SECONDS", "1"));
        server = fixture.server;
        requester = key("girlfanz-payouts", "[\"payouts:read\",\"payouts:write\",\"payouts:admin\",\"compliance:write\"]",
            "girlfanz");
        finance = key("girlfanz-finance", "[\"payouts:read\",\"payouts:admin\"]", "girlfanz");
        steps = new PayoutSteps(fixture, requester.secret());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aPayoutReachingTheThresholdWaitsForAnotherKeysApprovalBeforeABatchTakesIt() {
        String ach = steps.railAccount("ach", "USD", ACH_SETTINGS, "{\"minimum\":\"100\",\"approval_threshold\":\"5000\"}");
        assertThat(server.get("/v1/merchant-accounts/" + ach, TestServer.ADMIN_KEY).json().path("payout")
            .path("approval_threshold").asText()).isEqualTo("5000");
        steps.earn("c_1", "100.00", "USD");
        String payee = steps.payee("c_1", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"123456789\"}");
        steps.verify(payee);

        JsonNode small = steps.payout(payee, "4999", "USD", "a1").json();
        assertThat(small.path("requested_by").asText()).isEqualTo(requester.id());
        assertThat(small.path("approval").path("status").asText()).isEqualTo("not_required");
        assertThat(small.path("operator_hold").isNull()).isTrue();
        TestServer.Response notNeeded = approve(finance, small, "");
        assertThat(notNeeded.status()).as(notNeeded.text()).isEqualTo(409);
        assertThat(notNeeded.json().path("type").asText()).endsWith("invalid-payout-transition");
        assertThat(notNeeded.json().path("detail").asText()).contains("needs no approval");

        JsonNode large = steps.payout(payee, "3000", "USD", "a2").json();
        assertThat(large.path("approval").path("status").asText()).as("under the threshold").isEqualTo("not_required");
        steps.earn("c_1", "100.00", "USD");
        JsonNode pending = steps.payout(payee, "5000", "USD", "a3").json();
        String pendingId = pending.path("id").asText();
        assertThat(pending.path("status").asText()).isEqualTo("held");
        assertThat(pending.path("approval").path("status").asText()).as("the threshold itself needs approval")
            .isEqualTo("pending");
        assertThat(pending.path("approval").path("by").isNull()).isTrue();
        assertThat(pending.path("approval").path("at").isNull()).isTrue();
        assertThat(pending.path("approval").path("note").isNull()).isTrue();

        JsonNode first = steps.batch("ach", ach);
        assertThat(first.path("payout_ids")).extracting(JsonNode::asText)
            .containsExactlyInAnyOrder(small.path("id").asText(), large.path("id").asText());
        assertThat(steps.get(pendingId).path("status").asText()).isEqualTo("held");
        TestServer.Response listed = batchOf(ach, pendingId);
        assertThat(listed.status()).as(listed.text()).isEqualTo(409);
        assertThat(listed.json().path("type").asText()).endsWith("invalid-payout-transition");
        assertThat(listed.json().path("detail").asText()).contains(pendingId).contains("awaits approval");

        TestServer.Response ownApproval = approve(requester, pending, "{\"note\":\"mine\"}");
        assertThat(ownApproval.status()).as(ownApproval.text()).isEqualTo(403);
        assertThat(ownApproval.json().path("type").asText()).endsWith("approval-by-requester");
        assertThat(approve(finance, pending, "{\"note\":\"" + "x".repeat(401) + "\"}").status()).isEqualTo(400);
        assertThat(approve(finance, pending, "{\"reason\":\"checked\"}").status()).as("unknown field").isEqualTo(400);
        assertThat(steps.get(pendingId).path("approval").path("status").asText()).isEqualTo("pending");

        TestServer.Response approved = approve(finance, pending, "{\"note\":\"checked with the creator\"}");
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
        JsonNode approval = approved.json().path("approval");
        assertThat(approval.path("status").asText()).isEqualTo("approved");
        assertThat(approval.path("by").asText()).isEqualTo(finance.id());
        assertThat(approval.path("at").asText()).isNotEmpty();
        assertThat(approval.path("note").asText()).isEqualTo("checked with the creator");
        TestServer.Response again = approve(finance, pending, "");
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().path("approval")).as("unchanged").isEqualTo(approval);

        // The approval was of a payout to these details: the requester saving new ones withdraws it.
        TestServer.Response newDetails = server.postJson("/v1/payees", requester.secret(), PayoutSteps.payeeBody("c_1", "ach",
            "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"999999999\"}", "Jane Doe"));
        assertThat(newDetails.status()).as(newDetails.text()).isEqualTo(200);
        JsonNode withdrawn = steps.get(pendingId).path("approval");
        assertThat(withdrawn.path("status").asText()).isEqualTo("pending");
        assertThat(withdrawn.path("by").isNull()).isTrue();
        assertThat(approve(finance, pending, "{\"note\":\"line one\\nline two\"}").status()).as("a note on two lines")
            .isEqualTo(400);
        approval = approve(finance, pending, "{\"note\":\"checked the new account\"}").json().path("approval");
        assertThat(approval.path("status").asText()).isEqualTo("approved");

        JsonNode second = steps.batch("ach", ach);
        assertThat(second.path("payout_ids")).extracting(JsonNode::asText).containsExactly(pendingId);
        assertThat(steps.get(pendingId).path("status").asText()).isEqualTo("batched");
        TestServer.Response late = approve(finance, pending, "");
        assertThat(late.status()).as("approved, but batched now").isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("is batched");
        TestServer.Response heldLate = hold(finance, pendingId, "{\"reason\":\"too late\"}");
        assertThat(heldLate.status()).as(heldLate.text()).isEqualTo(409);
        assertThat(heldLate.json().path("type").asText()).endsWith("invalid-payout-transition");
        assertThat(steps.get(pendingId).path("operator_hold").isNull()).isTrue();
    }

    @Test
    void anOperatorsHoldKeepsAPayoutOutOfBatchesUntilReleasedAndCancellingItVoidsTheHold() {
        String ach = steps.railAccount("ach", "USD", ACH_SETTINGS, null);
        steps.earn("c_2", "100.00", "USD");
        String payee = steps.payee("c_2", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"222\"}");
        steps.verify(payee);
        String heldId = PayoutSteps.created(steps.payout(payee, "2000", "USD", "h1"));
        String otherId = PayoutSteps.created(steps.payout(payee, "1000", "USD", "h2"));

        assertThat(hold(finance, heldId, "").status()).as("no body").isEqualTo(400);
        assertThat(hold(finance, heldId, "{}").status()).as("no reason").isEqualTo(400);
        assertThat(hold(finance, heldId, "{\"reason\":\"\"}").status()).isEqualTo(400);
        assertThat(hold(finance, heldId, "{\"reason\":\"" + "x".repeat(401) + "\"}").status()).isEqualTo(400);
        TestServer.Response onHold = hold(finance, heldId, "{\"reason\":\"fraud review\"}");
        assertThat(onHold.status()).as(onHold.text()).isEqualTo(200);
        JsonNode operatorHold = onHold.json().path("operator_hold");
        assertThat(operatorHold.path("reason").asText()).isEqualTo("fraud review");
        assertThat(operatorHold.path("by").asText()).isEqualTo(finance.id());
        assertThat(operatorHold.path("at").asText()).isNotEmpty();
        assertThat(onHold.json().path("status").asText()).isEqualTo("held");
        TestServer.Response twice = hold(requester, heldId, "{\"reason\":\"another reason\"}");
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.json().path("operator_hold")).as("the first hold stays").isEqualTo(operatorHold);

        JsonNode first = steps.batch("ach", ach);
        assertThat(first.path("payout_ids")).extracting(JsonNode::asText).containsExactly(otherId);
        assertThat(steps.get(heldId).path("status").asText()).isEqualTo("held");
        TestServer.Response listed = batchOf(ach, heldId);
        assertThat(listed.status()).as(listed.text()).isEqualTo(409);
        assertThat(listed.json().path("detail").asText()).contains(heldId).contains("fraud review");
        TestServer.Response empty = server.postJson("/v1/payout-batches", finance.secret(),
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + ach + "\"}");
        assertThat(empty.status()).as("the one left is on hold").isEqualTo(422);
        assertThat(empty.json().path("type").asText()).endsWith("batch-empty");

        TestServer.Response released = release(finance, heldId);
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        assertThat(released.json().path("operator_hold").isNull()).isTrue();
        assertThat(release(finance, heldId).status()).as("not on hold: unchanged").isEqualTo(200);
        assertThat(steps.batch("ach", ach).path("payout_ids")).extracting(JsonNode::asText).containsExactly(heldId);
        assertThat(release(finance, heldId).status()).as("batched").isEqualTo(409);

        long available = steps.balance("c_2", "available", "USD");
        long heldForPayouts = steps.balance("c_2", "held_for_payouts", "USD");
        String cancelledId = PayoutSteps.created(steps.payout(payee, "1500", "USD", "h3"));
        assertThat(hold(finance, cancelledId, "{\"reason\":\"creator asked to stop it\"}").status()).isEqualTo(200);
        assertThat(steps.balance("c_2", "available", "USD")).isEqualTo(available - 1500);
        TestServer.Response cancelled = server.postJson("/v1/payouts/" + cancelledId + "/cancel", requester.secret(), "");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
        assertThat(steps.balance("c_2", "available", "USD")).as("the ledger hold is voided").isEqualTo(available);
        assertThat(steps.balance("c_2", "held_for_payouts", "USD")).as("the batched ones'").isEqualTo(heldForPayouts);
        assertThat(release(finance, cancelledId).status()).isEqualTo(409);
        assertThat(hold(finance, cancelledId, "{\"reason\":\"again\"}").status()).isEqualTo(409);
    }

    @Test
    void anotherTenantsKeyCannotApproveHoldOrReleaseAndReadOnlyKeysCannotEither() {
        String ach = steps.railAccount("ach", "USD", ACH_SETTINGS, "{\"approval_threshold\":\"0\"}");
        assertThat(ach).isNotBlank();
        steps.earn("c_3", "20.00", "USD");
        String payee = steps.payee("c_3", "ach", "USD", "{\"routing_number\":\"231380104\",\"account_number\":\"333\"}");
        steps.verify(payee);
        JsonNode payout = steps.payout(payee, "100", "USD", "t1").json();
        assertThat(payout.path("approval").path("status").asText()).as("\"0\": every payout").isEqualTo("pending");
        String id = payout.path("id").asText();

        assertThat(server.postJson("/v1/admin/tenants", TestServer.ADMIN_KEY, "{\"slug\":\"pupfanz\"}").status())
            .isIn(200, 201);
        Key other = key("pupfanz-payouts", "[\"payouts:read\",\"payouts:admin\"]", "pupfanz");
        assertThat(approve(other, payout, "").status()).isEqualTo(404);
        assertThat(hold(other, id, "{\"reason\":\"not yours\"}").status()).isEqualTo(404);
        assertThat(release(other, id).status()).isEqualTo(404);
        Key reader = key("girlfanz-reader", "[\"payouts:read\",\"payouts:write\"]", "girlfanz");
        assertThat(approve(reader, payout, "").status()).as("payouts:admin is needed").isEqualTo(403);
        assertThat(hold(reader, id, "{\"reason\":\"no scope\"}").status()).isEqualTo(403);
        assertThat(release(reader, id).status()).isEqualTo(403);
        JsonNode unchanged = steps.get(id);
        assertThat(unchanged.path("approval").path("status").asText()).isEqualTo("pending");
        assertThat(unchanged.path("operator_hold").isNull()).isTrue();
        assertThat(approve(finance, payout, "").json().path("approval").path("status").asText()).isEqualTo("approved");
    }

    @Test
    void anApiRailIsHandedAPayoutOnlyOnceItIsApprovedAndReleased() throws Exception {
        try (PaxumSimulator paxum = new PaxumSimulator(Clock.systemUTC(), PAXUM_FROM, "paxum-shared-secret", "590900",
            "paxum-api-key", "paxum-api-secret")) {
            paxum.fund("USD", 1_000_000).payee("jane@example.com");
            steps.railAccount("paxum", "USD", """
                {"from_email":"%s","account_id":"590900","api":"%s","api_v2":"%s"}"""
                .formatted(PAXUM_FROM, paxum.baseUrl(), paxum.baseUrl()), """
                {"shared_secret":"paxum-shared-secret","api_key":"paxum-api-key","api_secret":"paxum-api-secret"}""",
                "{\"minimum\":\"1000\",\"approval_threshold\":\"5000\"}");
            steps.earn("c_pax", "300.00", "USD");
            String payee = steps.payee("c_pax", "paxum", "USD", "{\"email\":\"jane@example.com\"}");
            steps.verify(payee);

            JsonNode pending = steps.payout(payee, "6000", "USD", "pax-1").json();
            String id = pending.path("id").asText();
            assertThat(pending.path("approval").path("status").asText()).isEqualTo("pending");
            JsonNode waiting = checkRail(id);
            assertThat(waiting.path("status").asText()).isEqualTo("held");
            assertThat(waiting.path("rail_progress").path("note").asText()).contains("awaits approval");

            assertThat(hold(finance, id, "{\"reason\":\"call the creator first\"}").status()).isEqualTo(200);
            assertThat(approve(finance, pending, "").json().path("approval").path("status").asText()).isEqualTo("approved");
            JsonNode onHold = checkRail(id);
            assertThat(onHold.path("status").asText()).as("approved, but on hold").isEqualTo("held");
            assertThat(onHold.path("rail_progress").path("note").asText()).contains("call the creator first");
            assertThat(paxum.transactions()).isEmpty();

            assertThat(release(finance, id).status()).isEqualTo(200);
            JsonNode settled = steps.awaitRail(id, payout -> payout.path("status").asText().equals("settled"));
            assertThat(settled.path("history").findValuesAsText("status"))
                .containsExactly("requested", "held", "submitted", "settled");
            assertThat(paxum.transfersWithReference(id.replace("-", ""))).isEqualTo(1);
            assertThat(paxum.transactions()).hasSize(1);
        }
    }

    // ---- steps ----------------------------------------------------------------------------------

    private Key key(String name, String scopes, String tenant) {
        TestServer.Response response = server.postJson("/v1/admin/keys", TestServer.ADMIN_KEY, "{\"name\":\"" + name
            + "\",\"scopes\":" + scopes + ",\"tenants\":[\"" + tenant + "\"]}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return new Key(response.json().path("id").asText(), response.json().path("key").asText());
    }

    private TestServer.Response approve(Key key, JsonNode payout, String body) {
        return server.postJson("/v1/payouts/" + payout.path("id").asText() + "/approve", key.secret(), body);
    }

    private TestServer.Response hold(Key key, String id, String body) {
        return server.postJson("/v1/payouts/" + id + "/hold", key.secret(), body);
    }

    private TestServer.Response release(Key key, String id) {
        return server.postJson("/v1/payouts/" + id + "/release", key.secret(), "");
    }

    private TestServer.Response batchOf(String account, String payoutId) {
        return server.postJson("/v1/payout-batches", finance.secret(), "{\"rail\":\"ach\",\"merchant_account_id\":\""
            + account + "\",\"payout_ids\":[\"" + payoutId + "\"]}");
    }

    /** {@code POST /v1/payouts/{id}/check-rail}: the rail runner looks at the payout now; the payout after it did. */
    private JsonNode checkRail(String id) {
        TestServer.Response response = server.postJson("/v1/payouts/" + id + "/check-rail", finance.secret(), "");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }
}
