package com.fanzfinance.server.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import com.fanzfinance.server.http.Problem;

/** The routing table: its rules one by one, health, fallback, and the property that it never picks a drained or disabled account. */
class RoutingTest {
    private static final UUID CARD_EU = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID CARD_US = UUID.fromString("00000000-0000-4000-8000-000000000002");
    private static final UUID CRYPTO = UUID.fromString("00000000-0000-4000-8000-000000000003");
    private static final UUID CARD_ANY = UUID.fromString("00000000-0000-4000-8000-000000000004");

    private static Routing.Table table(String json) {
        return Routing.parse(Fields.parse(json.getBytes(StandardCharsets.UTF_8),
            Set.of("routes", "min_health_bp", "health_window_hours", "health_min_sample")));
    }

    private static final Routing.Table TABLE = table("""
        {"min_health_bp": 6000, "routes": [
          {"merchant_account_id": "%s", "countries": ["EU"], "currencies": ["EUR"]},
          {"merchant_account_id": "%s", "countries": ["NORTH_AMERICA"], "max_amount": "50000", "products": ["subscription", "ppv"]},
          {"merchant_account_id": "%s", "methods": ["crypto"]},
          {"merchant_account_id": "%s", "exclude_countries": ["RU"], "min_amount": "100"}
        ]}""".formatted(CARD_EU, CARD_US, CRYPTO, CARD_ANY));

    private static Map<UUID, Routing.Candidate> healthy() {
        Map<UUID, Routing.Candidate> accounts = new HashMap<>();
        accounts.put(CARD_EU, candidate(CARD_EU, "verotel", "card", true, null, List.of("EUR", "USD"), null));
        accounts.put(CARD_US, candidate(CARD_US, "ccbill", "card", true, null, List.of("USD"), 9000));
        accounts.put(CRYPTO, candidate(CRYPTO, "btcpay", "crypto", true, null, List.of("USD", "EUR", "BTC"), null));
        accounts.put(CARD_ANY, candidate(CARD_ANY, "segpay", "card", true, null, List.of("USD", "EUR", "GBP"), 8000));
        return accounts;
    }

    private static Routing.Candidate candidate(UUID id, String processor, String method, boolean active, String drained,
                                               List<String> currencies, Integer health) {
        return new Routing.Candidate(id, processor, method, active, drained, currencies, health, health == null ? 0 : 100);
    }

    private static Routing.Decision decide(Routing.Request request, Map<UUID, Routing.Candidate> accounts, Set<UUID> exclude) {
        return Routing.decide(TABLE, request, accounts, exclude);
    }

    @Test
    void regionCurrencyAmountAndProductPickTheFirstMatchingRoute() {
        assertThat(decide(new Routing.Request("DE", "EUR", 999, "tip", null), healthy(), Set.of()).chosen().get().id())
            .as("EU fan paying EUR").isEqualTo(CARD_EU);
        assertThat(decide(new Routing.Request("CA", "USD", 999, "subscription", null), healthy(), Set.of()).chosen().get().id())
            .as("Canadian subscription in USD").isEqualTo(CARD_US);
        Routing.Decision tooBig = decide(new Routing.Request("US", "USD", 50001, "ppv", null), healthy(), Set.of());
        assertThat(tooBig.chosen().get().id()).as("above the US route's maximum: the next route taking USD")
            .isEqualTo(CRYPTO);
        assertThat(tooBig.considered().get(1).reason()).isEqualTo("amount 50001 is above the route's maximum 50000");
        Routing.Decision tip = decide(new Routing.Request("US", "USD", 500, "tip", null), healthy(), Set.of());
        assertThat(tip.considered().get(1).reason()).isEqualTo("product tip is not among the route's products");
        assertThat(decide(new Routing.Request("DE", "GBP", 999, "tip", null), healthy(), Set.of()).chosen().get().id())
            .as("the EU route takes EUR only").isEqualTo(CARD_ANY);
    }

    @Test
    void aCryptoCheckoutGoesToACryptoAccountAndACardCheckoutNever() {
        Routing.Decision crypto = decide(new Routing.Request("DE", "EUR", 999, "tip", "crypto"), healthy(), Set.of());
        assertThat(crypto.chosen().get().id()).isEqualTo(CRYPTO);
        assertThat(crypto.considered().get(0).reason()).isEqualTo("the checkout asks for crypto and the account takes card");
        Routing.Decision card = decide(new Routing.Request("JP", "USD", 999, "tip", "card"), healthy(), Set.of());
        assertThat(card.chosen().get().id()).isEqualTo(CARD_ANY);
    }

    @Test
    void anUnknownCountryMatchesOnlyRoutesWithoutCountriesAndAnExcludedOneNone() {
        assertThat(decide(new Routing.Request(null, "EUR", 999, "tip", null), healthy(), Set.of()).chosen().get().id())
            .isEqualTo(CRYPTO);
        Routing.Decision russia = decide(new Routing.Request("RU", "GBP", 999, "tip", null), healthy(), Set.of());
        assertThat(russia.chosen()).isEmpty();
        assertThat(russia.considered()).extracting(Routing.Considered::reason).contains("fan country RU is excluded by the route");
    }

    @Test
    void disabledDrainedAndTriedAccountsAreSkippedWithTheirReason() {
        Map<UUID, Routing.Candidate> accounts = healthy();
        accounts.put(CARD_EU, candidate(CARD_EU, "verotel", "card", false, null, List.of("EUR"), null));
        accounts.put(CRYPTO, candidate(CRYPTO, "btcpay", "crypto", true, "chargeback threshold exceeded", List.of("EUR"), null));
        Routing.Decision decision = decide(new Routing.Request("DE", "EUR", 999, "tip", null), accounts, Set.of());
        assertThat(decision.chosen().get().id()).isEqualTo(CARD_ANY);
        assertThat(decision.considered()).extracting(Routing.Considered::reason)
            .containsExactly("disabled", "fan country DE is not among the route's countries",
                "drained: chargeback threshold exceeded", null);
        Routing.Decision fallback = decide(new Routing.Request("DE", "EUR", 999, "tip", null), healthy(), Set.of(CARD_EU));
        assertThat(fallback.chosen().get().id()).isEqualTo(CRYPTO);
        assertThat(fallback.considered().get(0).reason()).isEqualTo("already tried for this payment");
    }

    @Test
    void anAccountBelowTheHealthFloorIsPassedOverUnlessAllMatchingOnesAre() {
        Map<UUID, Routing.Candidate> accounts = healthy();
        accounts.put(CARD_US, candidate(CARD_US, "ccbill", "card", true, null, List.of("USD"), 4000));
        Routing.Decision decision = decide(new Routing.Request("US", "USD", 999, "ppv", null), accounts, Set.of());
        assertThat(decision.chosen().get().id()).isEqualTo(CRYPTO);
        assertThat(decision.considered().get(1).reason())
            .isEqualTo("approval rate 4000 bp over 100 payments is below the floor of 6000 bp");

        accounts.put(CRYPTO, candidate(CRYPTO, "btcpay", "crypto", true, null, List.of("USD"), 5000));
        accounts.put(CARD_ANY, candidate(CARD_ANY, "segpay", "card", true, null, List.of("USD"), 3000));
        Routing.Decision weakest = decide(new Routing.Request("US", "USD", 999, "ppv", null), accounts, Set.of());
        assertThat(weakest.chosen().get().id()).as("the healthiest of the weak").isEqualTo(CRYPTO);
        assertThat(weakest.note()).contains("below the health floor");
    }

    @Test
    void tablesAreValidatedWithPointers() {
        assertThatThrownBy(() -> table("{\"routes\":[{\"merchant_account_id\":\"%s\",\"countries\":[\"XX\"]}]}"
            .formatted(CARD_EU))).isInstanceOfSatisfying(Problem.class,
                problem -> assertThat(problem.pointer()).isEqualTo("/routes/0/countries/0"));
        assertThatThrownBy(() -> table("{\"routes\":[{\"merchant_account_id\":\"%s\",\"min_amount\":\"9\",\"max_amount\":\"1\"}]}"
            .formatted(CARD_EU))).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> table("{\"routes\":[{\"merchant_account_id\":\"%s\",\"methods\":[\"cash\"]}]}"
            .formatted(CARD_EU))).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> table("{\"routes\":[{\"merchant_account_id\":\"%s\",\"colour\":\"red\"}]}"
            .formatted(CARD_EU))).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> table("{\"routes\":{}}")).isInstanceOf(Problem.class);
        assertThat(table("{\"routes\":[]}").healthMinSample()).isEqualTo(20);
    }

    // ---- the property -----------------------------------------------------------------------------------

    private static final List<UUID> IDS = List.of(CARD_EU, CARD_US, CRYPTO, CARD_ANY,
        UUID.fromString("00000000-0000-4000-8000-000000000005"), UUID.fromString("00000000-0000-4000-8000-000000000006"));
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "BTC");
    private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "RU", "JP", "CA");

    @Property(tries = 500)
    void routingNeverChoosesADrainedDisabledForeignOrExcludedAccount(@ForAll("tables") Routing.Table table,
                                                                    @ForAll("accounts") Map<UUID, Routing.Candidate> accounts,
                                                                    @ForAll("requests") Routing.Request request,
                                                                    @ForAll("excluded") Set<UUID> excluded) {
        Routing.Decision decision = Routing.decide(table, request, accounts, excluded);
        decision.chosen().ifPresent(chosen -> {
            assertThat(chosen.active()).isTrue();
            assertThat(chosen.drained()).isFalse();
            assertThat(chosen.currencies()).contains(request.currency());
            assertThat(excluded).doesNotContain(chosen.id());
            if (request.method() != null) {
                assertThat(chosen.method()).isEqualTo(request.method());
            }
            Routing.Route route = table.routes().get(decision.route());
            assertThat(route.merchantAccountId()).isEqualTo(chosen.id());
            if (route.countries() != null) {
                assertThat(route.countries()).contains(request.country());
            }
            if (route.maxAmount() != null) {
                assertThat(request.amount()).isLessThanOrEqualTo(route.maxAmount());
            }
        });
        // Every route is accounted for up to the chosen one (or all when none was chosen).
        assertThat(decision.considered()).hasSize(decision.chosen().isPresent() && decision.note() == null
            ? decision.route() + 1 : table.routes().size());
        if (decision.chosen().isEmpty()) {
            assertThat(decision.considered()).allMatch(each -> each.outcome().equals("skipped"));
        }
    }

    @Provide
    Arbitrary<Routing.Table> tables() {
        Arbitrary<Routing.Route> route = Combinators.combine(Arbitraries.of(IDS),
            Arbitraries.of(COUNTRIES).set().ofMaxSize(3).injectNull(0.5),
            Arbitraries.of(CURRENCIES).set().ofMinSize(1).ofMaxSize(2).injectNull(0.5),
            Arbitraries.longs().between(1, 20_000).injectNull(0.5),
            Arbitraries.of(Set.of("card"), Set.of("crypto"), Set.of("card", "crypto")).injectNull(0.5))
            .as((id, countries, currencies, max, methods) -> new Routing.Route(id, countries, null, currencies, null, max,
                null, methods, null));
        return Combinators.combine(route.list().ofMaxSize(8), Arbitraries.integers().between(0, 10_000))
            .as((routes, floor) -> new Routing.Table(routes, floor, 24, 20, null));
    }

    @Provide
    Arbitrary<Map<UUID, Routing.Candidate>> accounts() {
        Arbitrary<Routing.Candidate> one = Combinators.combine(Arbitraries.of("card", "crypto"), Arbitraries.of(true, false),
            Arbitraries.of("chargebacks").injectNull(0.6), Arbitraries.of(CURRENCIES).set().ofMinSize(1),
            Arbitraries.integers().between(0, 10_000).injectNull(0.3))
            .as((method, active, drained, currencies, health) -> new Routing.Candidate(UUID.randomUUID(), "p", method,
                active, drained, new ArrayList<>(currencies), health, 50));
        return one.list().ofSize(IDS.size()).map(list -> {
            Map<UUID, Routing.Candidate> byId = new HashMap<>();
            for (int index = 0; index < IDS.size(); index++) {
                Routing.Candidate each = list.get(index);
                if (index < 5) { // the sixth id stays unknown (another tenant's, or deleted)
                    byId.put(IDS.get(index), new Routing.Candidate(IDS.get(index), each.processor(), each.method(),
                        each.active(), each.drainedReason(), each.currencies(), each.healthBp(), each.sample()));
                }
            }
            return byId;
        });
    }

    @Provide
    Arbitrary<Routing.Request> requests() {
        return Combinators.combine(Arbitraries.of(COUNTRIES).injectNull(0.2), Arbitraries.of(CURRENCIES),
            Arbitraries.longs().between(1, 30_000), Arbitraries.of("tip", "ppv", "subscription", "bundle"),
            Arbitraries.of("card", "crypto").injectNull(0.5)).as(Routing.Request::new);
    }

    @Provide
    Arbitrary<Set<UUID>> excluded() {
        return Arbitraries.of(IDS).set().ofMaxSize(2).map(HashSet::new);
    }
}
