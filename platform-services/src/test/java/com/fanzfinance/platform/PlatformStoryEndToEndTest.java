package com.fanzfinance.platform;

import static com.fanzfinance.platform.testing.PlatformFixture.eventually;
import static com.fanzfinance.platform.testing.PlatformFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.testing.Http;
import com.fanzfinance.platform.testing.Http.Answer;
import com.fanzfinance.platform.testing.PlatformFixture;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

/**
 * The business story of the platform over real HTTP, with the four services in one process (as {@code
 * fanz-platform serve} runs them) beside a real ledger server with payments on: a creator signs up on
 * GirlFanz, passes KYC, posts PPV content with a model release; a fan who signed up on BoyFanz signs in to
 * GirlFanz by single sign-on, buys the post through Verotel (a signed postback), gets the entitlement; the
 * creator's earnings show 80 %; a payout is refused until compliance tells the ledger the creator may be paid,
 * then held and batched; a chargeback revokes the entitlement and reverses the split.
 */
class PlatformStoryEndToEndTest {
    private static final String ACH_SETTINGS = """
        {"immediate_destination":"231380104","immediate_destination_name":"FEDERAL RESERVE BANK",
         "immediate_origin":"121042882","immediate_origin_name":"GIRLFANZ INC","company_name":"GIRLFANZ",
         "company_identification":"1234567890","odfi_identification":"12104288"}""";

    @TempDir
    Path data;
    private PlatformFixture fixture;
    private PaymentsFixture ledger;
    private URI identity;
    private URI content;
    private URI compliance;
    private URI media;
    private String payoutsKey;

    @BeforeEach
    void start() {
        fixture = PlatformFixture.start(data);
        ledger = fixture.ledger;
        identity = fixture.identity;
        content = fixture.content;
        compliance = fixture.compliance;
        media = fixture.media;
        payoutsKey = ledger.server.createKey("girlfanz-finance", "[\"payouts:read\",\"payouts:write\",\"payouts:admin\","
            + "\"finance:read\"]", "[\"girlfanz\"]");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void creatorToFanToPayoutToChargeback() {
        // A creator signs up on GirlFanz; the ledger gets her payee (ACH) at once: not verified yet.
        String creator = signUp("girlfanz", "jane@example.test", "creator");
        String creatorToken = login("girlfanz", "jane@example.test");
        String admin = fixture.admin("girlfanz");
        String rail = created(ledger.server.postJson("/v1/merchant-accounts", TestServer.ADMIN_KEY, """
            {"tenant":"girlfanz","processor":"ach","name":"ACH payouts","currencies":["USD"],"settings":%s,
             "payout":{"minimum":"100","fee":"0","settle_after_days":2,"new_payee_hold_days":0}}""".formatted(ACH_SETTINGS)));
        String payee = created(ledger.server.postJson("/v1/payees", payoutsKey, """
            {"tenant":"girlfanz","creator":"%s","name":"Jane Doe","email":"jane@example.test","country":"US",
             "currency":"USD","rail":"ach","rail_details":{"routing_number":"231380104","account_number":"123456789",
             "account_type":"checking","holder_type":"individual"}}""".formatted(creator)), 200, 201);

        // KYC through the manual review, the tax form, her own 2257 record.
        Answer verification = ok(Http.post(compliance, "/v1/verifications", creatorToken, """
            {"tenant":"girlfanz","provider":"manual","reference":"kyc-1","date_of_birth":"1995-04-02",
             "legal_name":"Jane Doe","country":"US","document_type":"passport","document_reference":"vault:passport/1"}"""),
            201);
        ok(Http.post(compliance, "/v1/verifications/" + verification.json().path("id").asText() + "/review", admin,
            "{\"decision\":\"approve\"}"), 200);
        ok(Http.put(compliance, "/v1/creators/" + creator + "/tax-form?tenant=girlfanz", admin,
            "{\"form\":\"W-9\",\"reference\":\"vault:w9/1\",\"received_on\":\"2026-12-01\"}"), 200);
        String record = ok(Http.post(compliance, "/v1/records-2257", creatorToken, """
            {"tenant":"girlfanz","creator":"%s","legal_name":"Jane Doe","stage_names":["Jane"],"date_of_birth":"1995-04-02",
             "id_document_type":"passport","id_document_reference":"vault:passport/1","id_examined_on":"2026-12-01",
             "is_creator_self":true}""".formatted(creator)), 201).json().path("id").asText();

        // A PPV post with a picture of her, a model release for it, published once compliance clears it.
        ok(Http.put(content, "/v1/creators/me", creatorToken, "{\"display_name\":\"Jane\"}"), 200);
        String asset = ok(Http.postBytes(media, "/v1/assets?tenant=girlfanz&filename=set-1.png", creatorToken,
            "image/png", picture()), 201).json().path("id").asText();
        String post = ok(Http.post(content, "/v1/posts", creatorToken, """
            {"title":"Set one","preview":"A teaser","body":"The full set","ppv_price":"1000","currency":"USD",
             "media_asset_ids":["%s"]}""".formatted(asset)), 201).json().path("id").asText();
        ok(Http.put(media, "/v1/assets/" + asset + "/links", creatorToken,
            "{\"content_refs\":[\"post:" + post + "\"],\"performer_record_ids\":[\"" + record + "\"]}"), 200);
        Answer refused = Http.post(content, "/v1/posts/" + post + "/publish", creatorToken, "");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().path("reasons").toString()).contains("no-model-release");
        ok(Http.post(compliance, "/v1/model-releases", creatorToken, """
            {"tenant":"girlfanz","creator":"%s","performer_record_id":"%s","content_ref":"post:%s",
             "signed_on":"2026-12-02","document_reference":"vault:release/1"}""".formatted(creator, record, post)), 201);
        ok(Http.post(content, "/v1/posts/" + post + "/publish", creatorToken, ""), 200);

        // The compliance service told the ledger: the payee may now be paid.
        JsonNode cleared = eventually("the payee's compliance to reach the ledger",
            () -> ledger.server.get("/v1/payees/" + payee, payoutsKey).json(),
            json -> json.path("compliance").path("payout_allowed").asBoolean());
        assertThat(cleared.path("compliance").path("kyc").asText()).isEqualTo("verified");

        // A fan of BoyFanz signs in to GirlFanz by single sign-on and buys the post.
        signUp("boyfanz", "sam@example.test", "fan");
        String boyfanzToken = login("boyfanz", "sam@example.test");
        Answer exchanged = Http.form(identity, "/oauth/token", Map.of(
            "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", boyfanzToken,
            "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "audience", "girlfanz"));
        assertThat(exchanged.status()).as(exchanged.text()).isEqualTo(200);
        String fan = exchanged.json().path("access_token").asText();
        assertThat(ok(Http.get(content, "/v1/posts/" + post, fan), 200).json().path("locked").asBoolean()).isTrue();
        JsonNode purchase = ok(Http.post(content, "/v1/purchases", fan,
            "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}",
            Map.of("Idempotency-Key", "buy-set-one")), 201).json();
        String checkout = purchase.path("checkout_id").asText();
        assertThat(ledger.server.get("/v1/checkouts/" + checkout, ledger.platformKey).json().path("amount").asText())
            .isEqualTo("1000");
        assertThat(Http.get(content, "/v1/posts/" + post, fan).json().path("locked").asBoolean()).isTrue();

        // Verotel tells the ledger the sale went through; the content service hears it and grants the post.
        assertThat(ledger.postback(PaymentsFixture.sale("70001", "10.00", checkout)).status()).isEqualTo(200);
        JsonNode unlocked = eventually("the entitlement", () -> Http.get(content, "/v1/posts/" + post, fan).json(),
            json -> !json.path("locked").asBoolean(true));
        assertThat(unlocked.path("body").asText()).isEqualTo("The full set");

        // The creator's earnings: 80 % of 10.00 — in her balances and on her payable account's statement.
        JsonNode earnings = ok(Http.get(content, "/v1/creators/me/earnings", creatorToken), 200).json();
        assertThat(usd(earnings).path("available").asText()).isEqualTo("800");
        TestServer.Response statement = ledger.server.get("/v1/statements/"
            + usd(earnings).path("payable_account_id").asText() + "?fresh=true", payoutsKey);
        assertThat(statement.status()).as(statement.text()).isEqualTo(200);
        assertThat(statement.json().path("postings").findValuesAsText("credit")).containsExactly("8.00");
        assertThat(statement.json().path("closing_balance").path("balance").asText()).isEqualTo("8.00");

        // A payout of it: held in the ledger, then batched into an ACH file.
        TestServer.Response payout = ledger.server.send(ledger.server.request("/v1/payouts", payoutsKey)
            .header("Content-Type", "application/json").header("Idempotency-Key", "payout-1")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"payee_id\":\"" + payee + "\",\"amount\":\"800\",\"currency\":\"USD\"}")));
        assertThat(payout.status()).as(payout.text()).isEqualTo(201);
        assertThat(payout.json().path("status").asText()).isEqualTo("held");
        TestServer.Response batch = ledger.server.postJson("/v1/payout-batches", payoutsKey,
            "{\"rail\":\"ach\",\"merchant_account_id\":\"" + rail + "\"}");
        assertThat(batch.status()).as(batch.text()).isEqualTo(201);

        // A chargeback: the entitlement is revoked and the split reversed (platform 200, creator 800).
        assertThat(ledger.postback(PaymentsFixture.reversal("chargeback", "70002", "70001", "10.00")).status()).isEqualTo(200);
        eventually("the entitlement revoked", () -> Http.get(content, "/v1/posts/" + post, fan).json(),
            json -> json.path("locked").asBoolean());
        JsonNode after = usd(ok(Http.get(content, "/v1/creators/me/earnings", creatorToken), 200).json());
        assertThat(after.path("receivable").asText()).isEqualTo("800");
        long platformFees = ledger.balance(PaymentsFixture.accountId("girlfanz", 840, 4100, ""));
        assertThat(platformFees).isZero();
    }

    private String signUp(String tenant, String email, String role) {
        return fixture.signUp(tenant, email, role);
    }

    private String login(String tenant, String email) {
        return fixture.login(tenant, email);
    }

    private static JsonNode usd(JsonNode balances) {
        for (JsonNode balance : balances.path("balances")) {
            if (balance.path("currency").asText().equals("USD")) {
                return balance;
            }
        }
        throw new AssertionError("no USD balance in " + balances);
    }

    private static String created(TestServer.Response response, int... statuses) {
        int[] expected = statuses.length == 0 ? new int[] {201} : statuses;
        assertThat(response.status()).as(response.text()).isIn(java.util.Arrays.stream(expected).boxed().toArray());
        return response.json().path("id").asText();
    }

    /** A small PNG drawn here (a gradient and a disc), as a creator's upload. */
    static byte[] picture() {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 160, 120, Color.MAGENTA));
        g.fillRect(0, 0, 160, 120);
        g.setColor(Color.WHITE);
        g.fillOval(50, 30, 60, 60);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
