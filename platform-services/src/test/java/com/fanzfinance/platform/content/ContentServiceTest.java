package com.fanzfinance.platform.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.common.Problem;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.ServiceTokens;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.platform.testing.TestTokens;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;
import com.fanzfinance.server.payments.PaymentsFixture;

/**
 * The content service on a real port, with its own schema of the test PostgreSQL, a real ledger server with
 * payments on ({@link PaymentsFixture}: fans pay through signed Verotel postbacks), the compliance and
 * identity stand-ins of {@link ComplianceSimulator} and the media stand-in of {@link MediaSimulator}:
 * publishing gated by clearance, media assets checked, purchases opening checkouts, entitlements granted and
 * revoked only by the ledger's payment events (partial refunds and chargeback reversals included), exactly
 * once across restarts, the follower's gauges, and the brand, role, scope and validation rules.
 */
class ContentServiceTest {
    private static final String BRAND = "girlfanz";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger TRANSACTIONS = new AtomicInteger();

    @TempDir
    static Path ledgerData;

    private static PaymentsFixture ledger;
    private static TestTokens tokens;
    private static ComplianceSimulator simulator;
    private static MediaSimulator media;
    private static String prefix;
    private static PlatformSettings settings;
    private static ContentService service;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private String creator;
    private String creatorToken;
    private String fan;
    private String fanToken;

    record Response(int status, JsonNode json, String text) {
        String problemType() {
            return json.path("type").asText().replace("https://fanzfinance.dev/problems/", "");
        }
    }

    @BeforeAll
    static void start() {
        ledger = PaymentsFixture.start(ledgerData);
        tokens = new TestTokens();
        simulator = new ComplianceSimulator(tokens);
        media = new MediaSimulator(tokens, simulator::revoked);
        prefix = PlatformTestDatabase.freshPrefix();
        Map<String, String> values = new HashMap<>(PlatformTestDatabase.settings(prefix));
        values.put("FANZ_CONTENT_PORT", "0");
        values.put("FANZ_IDENTITY_URL", simulator.identityUrl().toString());
        values.put("FANZ_TOKEN_ISSUER", TestTokens.ISSUER);
        values.put("FANZ_COMPLIANCE_URL", simulator.complianceUrl().toString());
        values.put("FANZ_MEDIA_URL", media.url().toString());
        values.put("FANZ_SERVICE_KEY_CONTENT", ComplianceSimulator.SERVICE_KEY);
        values.put("FANZ_LEDGER_URL", ledger.server.base().toString());
        values.put("FANZ_LEDGER_KEY", ledger.platformKey);
        values.put("FANZ_CONTENT_EVENTS_WAIT_SECONDS", "2");
        settings = new PlatformSettings(values);
        service = ContentService.start(settings);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        simulator.close();
        media.close();
        tokens.close();
        ledger.close();
        PlatformTestDatabase.drop(prefix);
    }

    @BeforeEach
    void people() {
        creator = UUID.randomUUID().toString();
        creatorToken = tokens.person(creator, BRAND, "creator");
        fan = UUID.randomUUID().toString();
        fanToken = tokens.person(fan, BRAND, "fan");
        simulator.clear();
        media.down(false);
        media.delay(Duration.ZERO);
    }

    @Test
    void publishingNeedsTheComplianceServicesClearance() {
        String post = draft("Beach day", "999");
        simulator.refuse("kyc-missing", "records-2257-missing");
        Response refused = call("POST", "/v1/posts/" + post + "/publish", creatorToken, null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("content-not-cleared");
        assertThat(refused.json().path("reasons").toString()).isEqualTo("[\"kyc-missing\",\"records-2257-missing\"]");

        simulator.down();
        Response unavailable = call("POST", "/v1/posts/" + post + "/publish", creatorToken, null);
        assertThat(unavailable.status()).as(unavailable.text()).isEqualTo(503);
        assertThat(unavailable.problemType()).isEqualTo("compliance-unavailable");
        assertThat(call("GET", "/v1/posts/" + post, creatorToken, null).json().path("status").asText()).isEqualTo("draft");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).status()).isEqualTo(404);

        simulator.clear();
        Response published = call("POST", "/v1/posts/" + post + "/publish", creatorToken, null);
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        assertThat(published.json().path("status").asText()).isEqualTo("published");
        assertThat(simulator.contentRefs()).contains("post:" + post);

        Response asFan = call("GET", "/v1/posts/" + post, fanToken, null);
        assertThat(asFan.json().path("locked").asBoolean()).isTrue();
        assertThat(asFan.json().has("body")).isFalse();
        assertThat(asFan.json().has("media_asset_ids")).isFalse();
        assertThat(asFan.json().path("title").asText()).isEqualTo("Beach day");
        assertThat(asFan.json().path("ppv_price").asText()).isEqualTo("999");
        Response staff = call("GET", "/v1/posts/" + post, tokens.person(UUID.randomUUID().toString(), BRAND, "staff"), null);
        assertThat(staff.json().path("body").asText()).isEqualTo("the locked part of Beach day");
    }

    @Test
    void aPpvPurchaseOpensACheckoutAndOnlyThePaymentEventUnlocksThePostUntilItsChargeback() {
        String post = published("999");
        Response purchase = buy(fanToken, "ppv-1", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        assertThat(purchase.status()).as(purchase.text()).isEqualTo(201);
        assertThat(purchase.json().path("status").asText()).isEqualTo("pending");
        assertThat(purchase.json().path("amount").asText()).isEqualTo("999");
        assertThat(purchase.json().path("currency").asText()).isEqualTo("USD");
        assertThat(purchase.json().path("action").path("type").asText()).isEqualTo("redirect");
        String checkoutId = purchase.json().path("checkout_id").asText();

        TestServer.Response checkout = ledger.server.get("/v1/checkouts/" + checkoutId, ledger.platformKey);
        assertThat(checkout.status()).as(checkout.text()).isEqualTo(200);
        assertThat(checkout.json().path("creator").asText()).isEqualTo(creator);
        assertThat(checkout.json().path("fan").asText()).isEqualTo(fan);
        assertThat(checkout.json().path("product").asText()).isEqualTo("ppv");
        assertThat(checkout.json().path("product_ref").asText()).isEqualTo("post:" + post);
        assertThat(checkout.json().path("amount").asText()).isEqualTo("999");

        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isTrue();
        assertThat(entitlements(fanToken).size()).isZero();

        String sale = transaction();
        assertThat(ledger.postback(PaymentsFixture.sale(sale, "9.99", checkoutId)).status()).isEqualTo(200);
        await(() -> !call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean());
        Response open = call("GET", "/v1/posts/" + post, fanToken, null);
        assertThat(open.json().path("body").asText()).isEqualTo("the locked part of post");
        assertThat(open.json().path("media_asset_ids").size()).isEqualTo(1);
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("paid");
        assertThat(entitlements(fanToken).get(0).path("target").asText()).isEqualTo("post:" + post);

        Response again = buy(fanToken, "ppv-2", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("already-entitled");

        Response earnings = call("GET", "/v1/creators/me/earnings", creatorToken, null);
        assertThat(earnings.status()).as(earnings.text()).isEqualTo(200);
        JsonNode usd = earnings.json().path("balances").get(0);
        assertThat(usd.path("currency").asText()).isEqualTo("USD");
        assertThat(usd.path("available").asText()).isEqualTo("799");

        assertThat(ledger.postback(PaymentsFixture.reversal("chargeback", transaction(), sale, "9.99")).status())
            .isEqualTo(200);
        await(() -> call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean());
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("charged_back");
        assertThat(entitlements(fanToken).get(0).path("status").asText()).isEqualTo("revoked");
    }

    @Test
    void aRefundOfLessThanThePriceKeepsTheEntitlementAndRefundsAddingUpToItRevokeIt() {
        String post = published("999");
        Response purchase = buy(fanToken, "partial", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        String sale = transaction();
        ledger.postback(PaymentsFixture.sale(sale, "9.99", purchase.json().path("checkout_id").asText()));
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("paid"));

        assertThat(ledger.postback(PaymentsFixture.reversal("credit", transaction(), sale, "4.00")).status()).isEqualTo(200);
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("partially_refunded"));
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isFalse();
        assertThat(entitlements(fanToken).get(0).path("status").asText()).isEqualTo("active");

        assertThat(ledger.postback(PaymentsFixture.reversal("credit", transaction(), sale, "5.99")).status()).isEqualTo(200);
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("refunded"));
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isTrue();
        assertThat(entitlements(fanToken).get(0).path("status").asText()).isEqualTo("revoked");
    }

    /**
     * Verotel announces no chargeback reversals, so the ledger's {@code payment_event.posted} of one is made
     * from the real feed's announcement of the chargeback ({@link #chargebackReversal}) and handed to the
     * follower.
     */
    @Test
    void aChargebackReversalGivesBackWhatTheChargebackTook() {
        String post = published("999");
        Response purchase = buy(fanToken, "won", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        String sale = transaction();
        ledger.postback(PaymentsFixture.sale(sale, "9.99", purchase.json().path("checkout_id").asText()));
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("paid"));
        ledger.postback(PaymentsFixture.reversal("chargeback", transaction(), sale, "9.99"));
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("charged_back"));
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isTrue();

        PaymentsApi.Event reversal = chargebackReversal();
        assertThat(handle(reversal)).isTrue();
        assertThat(handle(reversal)).isFalse();
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("paid");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("body").asText())
            .isEqualTo("the locked part of post");
        assertThat(entitlements(fanToken).get(0).path("status").asText()).isEqualTo("active");
    }

    /**
     * A subscription's sale and rebill each grant a period; the sale's chargeback revokes both, then the rebill
     * is refunded in full (nothing live is left to revoke): the chargeback's reversal gives back the sale's
     * period only, and the purchase is {@code partially_refunded}.
     */
    @Test
    void aChargebackReversalDoesNotGiveBackWhatAChargeRefundedMeanwhileGave() {
        String post = published("500");
        Subscription subscription = subscribedAndRebilled("sub-won");
        Response purchase = subscription.purchase();
        String sale = subscription.sale();
        String rebill = subscription.rebill();
        String saleEvent = entitlements(fanToken).get(0).path("payment_event_id").asText();
        String rebillEvent = entitlements(fanToken).get(1).path("payment_event_id").asText();

        assertThat(ledger.postback(PaymentsFixture.reversal("chargeback", transaction(), sale, "19.99")).status())
            .isEqualTo(200);
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("charged_back"));
        assertThat(entitlements(fanToken).findValuesAsText("status")).containsExactly("revoked", "revoked");
        String chargeback = entitlements(fanToken).get(1).path("revoked_by").asText();
        assertThat(ledger.postback(PaymentsFixture.reversal("credit", transaction(), rebill, "19.99")).status())
            .isEqualTo(200);
        await(() -> !entitlements(fanToken).get(1).path("revoked_by").asText().equals(chargeback));
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("charged_back");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isTrue();

        assertThat(handle(chargebackReversal())).isTrue();
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("partially_refunded");
        JsonNode after = entitlements(fanToken);
        assertThat(after.get(0).path("payment_event_id").asText()).isEqualTo(saleEvent);
        assertThat(after.get(0).path("status").asText()).isEqualTo("active");
        assertThat(after.get(1).path("payment_event_id").asText()).isEqualTo(rebillEvent);
        assertThat(after.get(1).path("status").asText()).isEqualTo("revoked");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isFalse();
    }

    @Test
    void aFullRefundOfOneRebillTakesOnlyThePeriodItPaidFor() {
        String post = published("500");
        Subscription subscription = subscribedAndRebilled("sub-refund");
        Response purchase = subscription.purchase();
        String sale = subscription.sale();
        String rebill = subscription.rebill();

        assertThat(ledger.postback(PaymentsFixture.reversal("credit", transaction(), rebill, "19.99")).status())
            .isEqualTo(200);
        await(() -> entitlements(fanToken).findValuesAsText("status").contains("revoked"));
        assertThat(entitlements(fanToken).findValuesAsText("status")).containsExactly("active", "revoked");
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("partially_refunded");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isFalse();

        assertThat(ledger.postback(PaymentsFixture.reversal("credit", transaction(), sale, "19.99")).status())
            .isEqualTo(200);
        await(() -> purchase(fanToken, purchase).path("status").asText().equals("refunded"));
        assertThat(entitlements(fanToken).findValuesAsText("status")).containsExactly("revoked", "revoked");
        assertThat(call("GET", "/v1/posts/" + post, fanToken, null).json().path("locked").asBoolean()).isTrue();
    }

    @Test
    void serviceTokensReadOnlyWithContentReadAndWriteNothing() {
        String post = published("999");
        Response purchase = buy(fanToken, "svc", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        ledger.postback(PaymentsFixture.sale(transaction(), "9.99", purchase.json().path("checkout_id").asText()));
        await(() -> entitlements(fanToken).size() == 1);
        String draft = draft("unpublished", "100");
        List<String> reads = List.of("/v1/posts/" + post, "/v1/posts/" + draft, "/v1/posts?tenant=" + BRAND,
            "/v1/purchases/" + purchase.json().path("id").asText(), "/v1/purchases?tenant=" + BRAND + "&fan=" + fan,
            "/v1/entitlements?tenant=" + BRAND + "&fan=" + fan, "/v1/plans?tenant=" + BRAND,
            "/v1/creators/" + creator + "?tenant=" + BRAND);
        String unrelated = tokens.service("media", "compliance:read", "media:read", "media:write");
        for (String read : reads) {
            Response refused = call("GET", read, unrelated, null);
            assertThat(refused.status()).as(read + ": " + refused.text()).isEqualTo(403);
        }

        String reader = tokens.service("reporting", "content:read");
        assertThat(call("GET", "/v1/posts/" + post, reader, null).json().path("body").asText())
            .isEqualTo("the locked part of post");
        assertThat(call("GET", "/v1/posts/" + draft, reader, null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/posts?tenant=" + BRAND + "&creator=" + creator, reader, null).json().path("posts")
            .size()).isEqualTo(2);
        assertThat(call("GET", "/v1/purchases/" + purchase.json().path("id").asText(), reader, null).json()
            .path("status").asText()).isEqualTo("paid");
        assertThat(call("GET", "/v1/purchases?tenant=" + BRAND + "&fan=" + fan, reader, null).json().path("purchases")
            .size()).isEqualTo(1);
        assertThat(call("GET", "/v1/entitlements?tenant=" + BRAND + "&fan=" + fan, reader, null).json()
            .path("entitlements").size()).isEqualTo(1);

        String writer = tokens.service("reporting", "content:read", "content:write");
        assertThat(call("POST", "/v1/posts/" + draft + "/publish", writer, null).status()).isEqualTo(403);
        assertThat(call("POST", "/v1/plans", writer, "{\"name\":\"n\",\"price\":\"100\",\"currency\":\"USD\","
            + "\"period_days\":30}").status()).isEqualTo(403);

        String otherBrandStaff = tokens.person(UUID.randomUUID().toString(), "boyfanz", "staff", "admin");
        assertThat(call("GET", "/v1/posts/" + draft, otherBrandStaff, null).status()).isEqualTo(404);
        String admin = tokens.person(UUID.randomUUID().toString(), BRAND, "admin");
        assertThat(call("GET", "/v1/posts/" + draft, admin, null).json().path("body").asText())
            .isEqualTo("the locked part of unpublished");
    }

    @Test
    void aPostsMediaAssetsMustBeTheCreatorsOwnLiveAssets() {
        String own = media.add(BRAND, creator);
        String deleted = media.add(BRAND, creator);
        media.delete(deleted);
        Map<String, String> invalid = Map.of("another creator's", media.add(BRAND, UUID.randomUUID().toString()),
            "another brand's", media.add("boyfanz", creator), "deleted", deleted, "unknown", UUID.randomUUID().toString());
        for (Map.Entry<String, String> asset : invalid.entrySet()) {
            Response refused = call("POST", "/v1/posts", creatorToken, postWith(own, asset.getValue()));
            assertThat(refused.status()).as(asset.getKey() + ": " + refused.text()).isEqualTo(422);
            assertThat(refused.problemType()).isEqualTo("invalid-media-asset");
            assertThat(refused.json().path("pointer").asText()).isEqualTo("/media_asset_ids/1");
        }
        media.down(true);
        Response down = call("POST", "/v1/posts", creatorToken, postWith(own));
        assertThat(down.status()).as(down.text()).isEqualTo(503);
        assertThat(down.problemType()).isEqualTo("media-unavailable");
        media.down(false);
        assertThat(call("GET", "/v1/posts?creator=" + creator, creatorToken, null).json().path("posts").size()).isZero();

        Response made = call("POST", "/v1/posts", creatorToken, postWith(own));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.json().path("media_asset_ids").get(0).asText()).isEqualTo(own);
    }

    /**
     * A post's asset checks run side by side (a few at a time) within one deadline: answers that would take
     * far longer one after another pass, a media service that does not answer in time is 503.
     */
    @Test
    void aPostsAssetChecksRunSideBySideWithinOneDeadline() {
        ServiceCalls calls = new ServiceCalls(new ServiceTokens(simulator.identityUrl(), PlatformSettings.CONTENT,
            ComplianceSimulator.SERVICE_KEY, HTTP, Clock.systemUTC()), HTTP);
        Duration deadline = Duration.ofSeconds(3);
        MediaAssets assets = new MediaAssets(media.url(), calls, deadline);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ids.add(UUID.fromString(media.add(BRAND, creator)));
        }
        media.delay(Duration.ofMillis(400));
        Instant start = Instant.now();
        assets.check(BRAND, creator, ids);
        assertThat(Duration.between(start, Instant.now())).isLessThan(deadline);
        assertThat(media.mostAtOnce()).isBetween(2, 8);

        media.delay(Duration.ofSeconds(30));
        Instant slow = Instant.now();
        assertThatThrownBy(() -> assets.check(BRAND, creator, ids)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.type()).isEqualTo("media-unavailable");
        });
        assertThat(Duration.between(slow, Instant.now())).isLessThan(deadline.plusSeconds(2));
    }

    @Test
    void aTokenACalleeRefusesIsReplacedOnceAndTheCallMadeAgain() {
        assertThat(call("POST", "/v1/posts", creatorToken, postWith(media.add(BRAND, creator))).status()).isEqualTo(201);
        int issued = simulator.tokensIssued();
        simulator.revokeIssuedTokens();
        Response made = call("POST", "/v1/posts", creatorToken, postWith(media.add(BRAND, creator)));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(simulator.tokensIssued()).isEqualTo(issued + 1);

        simulator.revokeIssuedTokens();
        Response published = call("POST", "/v1/posts/" + made.json().path("id").asText() + "/publish", creatorToken, null);
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        assertThat(simulator.tokensIssued()).isEqualTo(issued + 2);
    }

    @Test
    void aSubscriptionOpensAllTheCreatorsPostsAndARebillExtendsIt() {
        String free = published("0");
        Response plan = call("POST", "/v1/plans", creatorToken,
            "{\"name\":\"Monthly\",\"price\":\"1999\",\"currency\":\"USD\",\"period_days\":30}");
        assertThat(plan.status()).as(plan.text()).isEqualTo(201);
        Response purchase = buy(fanToken, "sub-1", "{\"kind\":\"subscription\",\"plan_id\":\""
            + plan.json().path("id").asText() + "\",\"processor\":\"verotel\"}");
        assertThat(purchase.status()).as(purchase.text()).isEqualTo(201);
        assertThat(purchase.json().path("amount").asText()).isEqualTo("1999");
        String checkoutId = purchase.json().path("checkout_id").asText();
        TestServer.Response checkout = ledger.server.get("/v1/checkouts/" + checkoutId, ledger.platformKey);
        assertThat(checkout.json().path("product").asText()).isEqualTo("subscription");
        assertThat(checkout.json().path("period_days").asInt()).isEqualTo(30);
        assertThat(call("GET", "/v1/posts/" + free, fanToken, null).json().path("locked").asBoolean()).isTrue();

        String sale = transaction();
        ledger.postback(PaymentsFixture.sale(sale, "19.99", checkoutId));
        await(() -> entitlements(fanToken).size() == 1);
        assertThat(call("GET", "/v1/posts/" + free, fanToken, null).json().path("locked").asBoolean()).isFalse();
        String later = published("500");
        assertThat(call("GET", "/v1/posts/" + later, fanToken, null).json().path("locked").asBoolean()).isFalse();
        Instant firstEnd = Instant.parse(entitlements(fanToken).get(0).path("ends_at").asText());
        Instant started = Instant.parse(entitlements(fanToken).get(0).path("starts_at").asText());
        assertThat(Duration.between(started, firstEnd)).isEqualTo(Duration.ofDays(30));

        ledger.postback(PaymentsFixture.reversal("rebill", transaction(), sale, "19.99"));
        await(() -> entitlements(fanToken).size() == 2);
        Instant secondEnd = Instant.parse(entitlements(fanToken).get(1).path("ends_at").asText());
        assertThat(secondEnd).isEqualTo(firstEnd.plus(Duration.ofDays(30)));
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("paid");

        Response twice = buy(fanToken, "sub-2", "{\"kind\":\"subscription\",\"plan_id\":\""
            + plan.json().path("id").asText() + "\",\"processor\":\"verotel\"}");
        assertThat(twice.status()).isEqualTo(409);
    }

    @Test
    void aTipIsPaidAndGrantsNothing() {
        call("PUT", "/v1/creators/me", creatorToken, "{\"display_name\":\"Ava\"}");
        Response tooSmall = buy(fanToken, "tip-0", "{\"kind\":\"tip\",\"creator_id\":\"" + creator
            + "\",\"amount\":\"50\",\"processor\":\"verotel\"}");
        assertThat(tooSmall.status()).isEqualTo(400);
        assertThat(tooSmall.json().path("pointer").asText()).isEqualTo("/amount");
        Response tip = buy(fanToken, "tip-1", "{\"kind\":\"tip\",\"creator_id\":\"" + creator
            + "\",\"amount\":\"500\",\"processor\":\"verotel\"}");
        assertThat(tip.status()).as(tip.text()).isEqualTo(201);
        String checkoutId = tip.json().path("checkout_id").asText();
        assertThat(ledger.server.get("/v1/checkouts/" + checkoutId, ledger.platformKey).json().path("product_ref").asText())
            .isEqualTo("tip");
        ledger.postback(PaymentsFixture.sale(transaction(), "5.00", checkoutId));
        await(() -> purchase(fanToken, tip).path("status").asText().equals("paid"));
        assertThat(entitlements(fanToken).size()).isZero();
        Response unknown = buy(fanToken, "tip-2", "{\"kind\":\"tip\",\"creator_id\":\"nobody\",\"amount\":\"500\","
            + "\"processor\":\"verotel\"}");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void aBundleOpensAllItsPosts() {
        String first = published("300");
        String second = published("400");
        String draft = draft("not yet", "100");
        Response withDraft = call("POST", "/v1/bundles", creatorToken, "{\"title\":\"Both\",\"post_ids\":[\"" + first
            + "\",\"" + draft + "\"],\"price\":\"600\",\"currency\":\"USD\"}");
        assertThat(withDraft.status()).isEqualTo(400);
        assertThat(withDraft.json().path("pointer").asText()).isEqualTo("/post_ids/1");
        Response bundle = call("POST", "/v1/bundles", creatorToken, "{\"title\":\"Both\",\"post_ids\":[\"" + first
            + "\",\"" + second + "\"],\"price\":\"600\",\"currency\":\"USD\"}");
        assertThat(bundle.status()).as(bundle.text()).isEqualTo(201);
        String bundleId = bundle.json().path("id").asText();
        assertThat(call("GET", "/v1/bundles/" + bundleId, fanToken, null).json().path("post_ids").size()).isEqualTo(2);

        Response purchase = buy(fanToken, "bundle-1", "{\"kind\":\"bundle\",\"bundle_id\":\"" + bundleId
            + "\",\"processor\":\"verotel\"}");
        assertThat(purchase.status()).as(purchase.text()).isEqualTo(201);
        assertThat(purchase.json().path("amount").asText()).isEqualTo("600");
        ledger.postback(PaymentsFixture.sale(transaction(), "6.00", purchase.json().path("checkout_id").asText()));
        await(() -> entitlements(fanToken).size() == 2);
        assertThat(call("GET", "/v1/posts/" + first, fanToken, null).json().path("locked").asBoolean()).isFalse();
        assertThat(call("GET", "/v1/posts/" + second, fanToken, null).json().path("locked").asBoolean()).isFalse();
    }

    @Test
    void theIdempotencyKeyAnswersTheSamePurchaseAndRefusesAnotherBody() {
        String post = published("250");
        String other = published("350");
        String body = "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}";
        Response first = buy(fanToken, "same-key", body);
        Response second = buy(fanToken, "same-key", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(second.json().path("checkout_id").asText()).isEqualTo(first.json().path("checkout_id").asText());
        Response reused = buy(fanToken, "same-key", "{\"kind\":\"ppv\",\"post_id\":\"" + other + "\",\"processor\":\"verotel\"}");
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.problemType()).isEqualTo("idempotency-key-reused");
        Response listed = call("GET", "/v1/purchases?creator=" + creator, fanToken, null);
        assertThat(listed.json().path("purchases").size()).isEqualTo(1);
        String anotherFan = tokens.person(UUID.randomUUID().toString(), BRAND, "fan");
        assertThat(buy(anotherFan, "same-key", body).status()).isEqualTo(201);
        assertThat(call("GET", "/v1/purchases/" + first.json().path("id").asText(), anotherFan, null).status()).isEqualTo(404);
        Response missing = call("POST", "/v1/purchases", fanToken, body);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.problemType()).isEqualTo("invalid-header");
    }

    @Test
    void ledgerRefusalsAndOutagesAreClearProblemsAndAStuckFeedShowsInTheGauges() {
        await(() -> gauge(service, "fanz_content_payment_events_last_success_seconds") > 0);
        assertThat(gauge(service, "fanz_content_payment_events_consecutive_failures")).isZero();
        String post = published("999");
        Response refused = buy(fanToken, "refused", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"ccbill\"}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("ledger-refused");
        assertThat(refused.json().path("ledger_problem").asText()).isEqualTo("no-merchant-account");
        assertThat(call("GET", "/v1/purchases", fanToken, null).json().path("purchases").size()).isZero();

        String otherPrefix = PlatformTestDatabase.freshPrefix();
        Map<String, String> values = new HashMap<>(PlatformTestDatabase.settings(otherPrefix));
        values.put("FANZ_LEDGER_URL", "http://127.0.0.1:1");
        try (ContentService cut = ContentService.start(settings.with(values))) {
            String cutPost = publishedAt(cut, "999");
            Response down = send(cut, "POST", "/v1/purchases", fanToken,
                "{\"kind\":\"ppv\",\"post_id\":\"" + cutPost + "\",\"processor\":\"verotel\"}", "down-1");
            assertThat(down.status()).as(down.text()).isEqualTo(503);
            assertThat(down.problemType()).isEqualTo("ledger-unavailable");
            assertThat(send(cut, "GET", "/v1/creators/me/earnings", creatorToken, null, null).status()).isEqualTo(503);
            await(() -> gauge(cut, "fanz_content_payment_events_consecutive_failures") >= 2);
            assertThat(gauge(cut, "fanz_content_payment_events_last_success_seconds")).isZero();
        } finally {
            PlatformTestDatabase.drop(otherPrefix);
        }
    }

    @Test
    void aRestartHandlesEveryEventExactlyOnce() throws SQLException {
        String post = published("700");
        Response purchase = buy(fanToken, "restart", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        service.close();
        service = null;
        ledger.postback(PaymentsFixture.sale(transaction(), "7.00", purchase.json().path("checkout_id").asText()));
        service = ContentService.start(settings);
        await(() -> entitlements(fanToken).size() == 1);
        String cursor = storedCursor();
        assertThat(cursor).isNotNull();

        service.close();
        service = null;
        execute("UPDATE feed_cursor SET next_after = NULL");
        service = ContentService.start(settings);
        await(() -> cursor.equals(storedCursorUnchecked()));
        assertThat(count("SELECT count(*) FROM entitlements WHERE fan = '" + fan + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM purchase_events WHERE purchase_id = '"
            + purchase.json().path("id").asText() + "'")).isEqualTo(1);
        assertThat(purchase(fanToken, purchase).path("status").asText()).isEqualTo("paid");
    }

    @Test
    void brandsAndRolesAreKeptApart() {
        String post = published("999");
        String otherBrandFan = tokens.person(fan, "boyfanz", "fan");
        assertThat(call("GET", "/v1/posts/" + post, otherBrandFan, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/posts?tenant=" + BRAND, otherBrandFan, null).status()).isEqualTo(404);
        assertThat(buy(otherBrandFan, "x", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}")
            .status()).isEqualTo(404);
        Response fanPosts = call("POST", "/v1/posts", fanToken,
            "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"1\",\"currency\":\"USD\"}");
        assertThat(fanPosts.status()).isEqualTo(403);

        String draft = draft("mine", "100");
        String otherCreator = tokens.person(UUID.randomUUID().toString(), BRAND, "creator");
        assertThat(call("POST", "/v1/posts/" + draft + "/publish", otherCreator, null).status()).isIn(403, 404);
        assertThat(call("POST", "/v1/posts/" + post + "/publish", otherCreator, null).status()).isEqualTo(403);
        String otherBrandCreator = tokens.person(creator, "boyfanz", "creator");
        assertThat(call("POST", "/v1/posts/" + post + "/publish", otherBrandCreator, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/posts/" + post, null, null).status()).isEqualTo(401);

        String ownFan = tokens.person(creator, BRAND, "fan", "creator");
        Response own = buy(ownFan, "own", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}");
        assertThat(own.status()).isEqualTo(409);
        assertThat(own.problemType()).isEqualTo("own-content");
        assertThat(buy(creatorToken, "c", "{\"kind\":\"ppv\",\"post_id\":\"" + post + "\",\"processor\":\"verotel\"}")
            .status()).isEqualTo(403);

        assertThat(call("GET", "/v1/entitlements?fan=" + creator, fanToken, null).status()).isEqualTo(403);
        String staff = tokens.person(UUID.randomUUID().toString(), BRAND, "staff");
        assertThat(call("GET", "/v1/entitlements?fan=" + fan, staff, null).status()).isEqualTo(200);

        assertThat(call("PUT", "/v1/creators/me", creatorToken, "{\"display_name\":\"Ava\",\"bio\":\"hi\"}").status())
            .isEqualTo(200);
        assertThat(call("GET", "/v1/creators/" + creator, fanToken, null).json().path("display_name").asText())
            .isEqualTo("Ava");
        assertThat(call("GET", "/v1/creators/" + creator, otherBrandFan, null).status()).isEqualTo(404);
        assertThat(call("PUT", "/v1/creators/me", fanToken, "{\"display_name\":\"x\"}").status()).isEqualTo(403);
    }

    @Test
    void invalidRequestsAreProblemsWithPointers() {
        assertInvalid(call("POST", "/v1/posts", creatorToken, "{\"title\":\"" + "t".repeat(201)
            + "\",\"body\":\"b\",\"ppv_price\":\"1\",\"currency\":\"USD\"}"), "invalid-field", "/title");
        assertInvalid(call("POST", "/v1/posts", creatorToken, "{\"title\":\"t\",\"body\":\"" + "b".repeat(20_001)
            + "\",\"ppv_price\":\"1\",\"currency\":\"USD\"}"), "invalid-field", "/body");
        assertInvalid(call("POST", "/v1/posts", creatorToken,
            "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"1.5\",\"currency\":\"USD\"}"), "invalid-field", "/ppv_price");
        assertInvalid(call("POST", "/v1/posts", creatorToken,
            "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"1\",\"currency\":\"usd\"}"), "invalid-field", "/currency");
        assertInvalid(call("POST", "/v1/posts", creatorToken,
            "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"1\",\"currency\":\"USD\",\"media_asset_ids\":[\"x\"]}"),
            "invalid-field", "/media_asset_ids/0");
        assertInvalid(call("POST", "/v1/posts", creatorToken,
            "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"1\",\"currency\":\"USD\",\"price\":\"2\"}"),
            "unknown-field", "/price");
        assertInvalid(call("POST", "/v1/plans", creatorToken,
            "{\"name\":\"n\",\"price\":\"100\",\"currency\":\"USD\",\"period_days\":366}"), "invalid-field", "/period_days");
        String post = published("999");
        assertInvalid(buy(fanToken, "v1", "{\"kind\":\"ppv\",\"post_id\":\"" + post
            + "\",\"amount\":\"1\",\"processor\":\"verotel\"}"), "invalid-field", "/amount");
        assertInvalid(buy(fanToken, "v2", "{\"kind\":\"gift\",\"processor\":\"verotel\"}"), "invalid-field", "/kind");
        assertThat(call("GET", "/v1/posts/not-a-uuid", fanToken, null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/posts?limit=0", fanToken, null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/posts?colour=red", fanToken, null).problemType()).isEqualTo("unknown-parameter");
        assertThat(call("POST", "/v1/posts", creatorToken, "[1]").problemType()).isEqualTo("malformed-json");
    }

    @Test
    void listingsArePagedInCreationOrder() {
        String first = published("100");
        String second = published("200");
        String third = published("300");
        Response page = call("GET", "/v1/posts?creator=" + creator + "&limit=2", fanToken, null);
        assertThat(page.json().path("posts").get(0).path("id").asText()).isEqualTo(first);
        assertThat(page.json().path("posts").get(1).path("id").asText()).isEqualTo(second);
        assertThat(page.json().path("posts").get(0).has("body")).isFalse();
        Response next = call("GET", "/v1/posts?creator=" + creator + "&limit=2&cursor=" + page.json().path("next").asText(),
            fanToken, null);
        assertThat(next.json().path("posts").size()).isEqualTo(1);
        assertThat(next.json().path("posts").get(0).path("id").asText()).isEqualTo(third);
        assertThat(next.json().path("next").isNull()).isTrue();
    }

    @Test
    void theOpenApiDocumentCoversExactlyTheRoutes() {
        Response doc = call("GET", "/openapi.json", null, null);
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.json().path("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> routes = new HashSet<>(service.app().routes());
        routes.removeAll(Set.of("GET /health", "GET /metrics", "GET /openapi.json"));
        assertThat(documented).isEqualTo(routes);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * The ledger's {@code payment_event.posted} of the reversal of the test fan's chargeback, made from the real
     * feed's announcement of the chargeback as the ledger writes a reversal: a new payment event of the same
     * charge, kind {@code chargeback_reversal}.
     */
    private PaymentsApi.Event chargebackReversal() {
        PaymentsApi.Event chargeback;
        try (LedgerClient client = LedgerClient.builder(ledger.server.base(), ledger.platformKey).build()) {
            chargeback = client.payments().events(null, List.of("payment_event.reversed"), 1000, 0).events().stream()
                .filter(e -> e.data().path("kind").asText().equals("chargeback") && e.data().path("fan").asText().equals(fan))
                .findFirst().orElseThrow();
        }
        assertThat(chargeback.data().path("parent_event_id").asText()).isNotEmpty();
        ObjectNode data = chargeback.data().deepCopy();
        String reversalId = UUID.randomUUID().toString();
        data.put("id", reversalId).put("kind", "chargeback_reversal").put("processor_event_type", "chargeback_reversal")
            .put("processor_transaction_id", transaction()).put("dedupe_key", "chargeback_reversal:" + reversalId);
        return new PaymentsApi.Event(UUID.randomUUID().toString(), "payment_event.posted", chargeback.tenant(),
            reversalId, Long.toString(Long.parseLong(chargeback.sequence()) + 1), chargeback.time(), data);
    }

    /** Hands {@code event} to the follower in a transaction of its own; whether it changed a purchase. */
    private static boolean handle(PaymentsApi.Event event) {
        try (ServiceDatabase db = ServiceDatabase.open(settings.database(), PlatformSettings.CONTENT, 2)) {
            return db.dsl().transactionResult(cfg -> PaymentEventsFollower.handle(cfg.dsl(), event));
        }
    }

    private String draft(String title, String price) {
        return draftAt(service, title, price);
    }

    /** A draft of the test's creator at {@code at}, with a new media asset of theirs. */
    private String draftAt(ContentService at, String title, String price) {
        Response post = send(at, "POST", "/v1/posts", creatorToken, "{\"title\":\"" + title + "\",\"body\":\"the locked part of "
            + title + "\",\"preview\":\"a glimpse\",\"ppv_price\":\"" + price + "\",\"currency\":\"USD\","
            + "\"media_asset_ids\":[\"" + media.add(BRAND, creator) + "\"]}", null);
        assertThat(post.status()).as(post.text()).isEqualTo(201);
        assertThat(post.json().path("status").asText()).isEqualTo("draft");
        return post.json().path("id").asText();
    }

    private String published(String price) {
        return publishedAt(service, price);
    }

    private String publishedAt(ContentService at, String price) {
        String id = draftAt(at, "post", price);
        Response published = send(at, "POST", "/v1/posts/" + id + "/publish", creatorToken, null, null);
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        return id;
    }

    private static String postWith(String... assets) {
        return "{\"title\":\"t\",\"body\":\"b\",\"ppv_price\":\"100\",\"currency\":\"USD\",\"media_asset_ids\":[\""
            + String.join("\",\"", assets) + "\"]}";
    }

    /** The value of the gauge {@code name} on {@code at}'s {@code /metrics}. */
    private static double gauge(ContentService at, String name) {
        Response metrics = send(at, "GET", "/metrics", null, null, null);
        for (String line : metrics.text().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no gauge " + name + " in " + metrics.text());
    }

    /** A fan's monthly subscription (bought with idempotency key {@code key}), its sale and its rebill. */
    private record Subscription(Response purchase, String sale, String rebill) {
    }

    /** The fan subscribes to a new monthly plan, is charged and rebilled once; both periods are granted. */
    private Subscription subscribedAndRebilled(String key) {
        Response plan = call("POST", "/v1/plans", creatorToken,
            "{\"name\":\"Monthly\",\"price\":\"1999\",\"currency\":\"USD\",\"period_days\":30}");
        Response purchase = buy(fanToken, key, "{\"kind\":\"subscription\",\"plan_id\":\""
            + plan.json().path("id").asText() + "\",\"processor\":\"verotel\"}");
        String sale = transaction();
        ledger.postback(PaymentsFixture.sale(sale, "19.99", purchase.json().path("checkout_id").asText()));
        await(() -> entitlements(fanToken).size() == 1);
        String rebill = transaction();
        ledger.postback(PaymentsFixture.reversal("rebill", rebill, sale, "19.99"));
        await(() -> entitlements(fanToken).size() == 2);
        return new Subscription(purchase, sale, rebill);
    }

    private Response buy(String token, String key, String body) {
        return send(service, "POST", "/v1/purchases", token, body, key);
    }

    private JsonNode purchase(String token, Response purchase) {
        Response read = call("GET", "/v1/purchases/" + purchase.json().path("id").asText(), token, null);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        return read.json();
    }

    private JsonNode entitlements(String token) {
        Response list = call("GET", "/v1/entitlements", token, null);
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        return list.json().path("entitlements");
    }

    private static String transaction() {
        return "tx" + ProcessHandle.current().pid() + "-" + TRANSACTIONS.incrementAndGet() + "-" + System.nanoTime();
    }

    private static void assertInvalid(Response response, String type, String pointer) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo(type);
        assertThat(response.json().path("pointer").asText()).isEqualTo(pointer);
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("the condition did not hold in time").isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Response call(String method, String path, String token, String body) {
        return send(service, method, path, token, body, null);
    }

    private static Response send(ContentService at, String method, String path, String token, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.port() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode json = response.body().isEmpty() || !isJson ? Json.object() : Json.MAPPER.readTree(response.body());
            return new Response(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String storedCursor() throws SQLException {
        try (Connection connection = TestDatabase.connect(prefix + "content");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT next_after FROM feed_cursor")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String storedCursorUnchecked() {
        try {
            return storedCursor();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(prefix + "content");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(prefix + "content");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
