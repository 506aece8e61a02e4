package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.server.http.Problem;

import static com.fanzfinance.server.payments.schema.Tables.ROUTING_TABLES;

/**
 * Checkout routing: per tenant, an ordered list of routes, each naming a merchant account and the checkouts it
 * takes (fan country or region, currency, amount range, product, card or crypto). A checkout without a processor
 * goes to the first route that matches and whose account is active, not drained and healthy enough; every
 * account considered and why it was passed over is written into the checkout ({@link Decision#toJson}).
 *
 * <p>The choice itself ({@link #decide}) is a pure function of the table, the request and the accounts' state,
 * so that it can be tested exhaustively; the state (status, drain, approval rate) is read by the caller.
 */
public final class Routing {
    /** Built-in regions a route's {@code countries} may name besides ISO 3166-1 alpha-2 codes. */
    static final Map<String, Set<String>> REGIONS = Map.of(
        "EU", Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
            "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        "EEA", Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
            "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"),
        "NORTH_AMERICA", Set.of("US", "CA", "MX"),
        "UK", Set.of("GB"));
    static final Set<String> METHODS = Set.of("card", "crypto");
    static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    static final int ROUTES_MAX = 100;
    /** The fields of a routing table's body. */
    public static final Set<String> TABLE_FIELDS = Set.of("routes", "min_health_bp", "health_window_hours",
        "health_min_sample");
    private static final Set<String> ROUTE_FIELDS = Set.of("merchant_account_id", "countries", "exclude_countries",
        "currencies", "min_amount", "max_amount", "products", "methods");

    /**
     * One route: the account and what it takes; a null set means "any".
     *
     * @param countries        the fan countries it takes (regions expanded); null: any, including unknown
     * @param excludeCountries fan countries it never takes
     */
    public record Route(UUID merchantAccountId, Set<String> countries, Set<String> excludeCountries,
                        Set<String> currencies, Long minAmount, Long maxAmount, Set<String> products, Set<String> methods,
                        JsonNode asWritten) {
    }

    /**
     * A tenant's table: its routes in order and the health floor (approval rate in basis points over the last
     * {@code healthWindowHours}; accounts with fewer than {@code healthMinSample} outcomes count as healthy).
     */
    public record Table(List<Route> routes, int minHealthBp, int healthWindowHours, int healthMinSample, Instant updated) {
    }

    /** What the checkout asks for. {@code country} and {@code method} may be null (unknown, either). */
    public record Request(String country, String currency, long amount, String product, String method) {
    }

    /**
     * An account's state as routing sees it. {@code healthBp} is the approval rate in basis points, or null when
     * there were too few outcomes to judge; {@code sample} how many outcomes it rests on.
     */
    public record Candidate(UUID id, String processor, String method, boolean active, String drainedReason,
                            List<String> currencies, Integer healthBp, int sample) {
        boolean drained() {
            return drainedReason != null;
        }
    }

    /** One account considered, in order: chosen, or skipped with the reason. */
    public record Considered(int route, UUID merchantAccountId, String processor, String outcome, String reason) {
    }

    /** The choice and its explanation; {@code chosen} empty when no account can take the checkout. */
    public record Decision(Optional<Candidate> chosen, int route, List<Considered> considered, String note) {
        public ObjectNode toJson(String mode) {
            ObjectNode json = Fields.JSON.createObjectNode();
            json.put("mode", mode);
            if (chosen.isPresent()) {
                json.put("route", route);
                json.put("merchant_account_id", chosen.get().id().toString());
                json.put("processor", chosen.get().processor());
                if (chosen.get().healthBp() == null) {
                    json.putNull("health_bp");
                } else {
                    json.put("health_bp", chosen.get().healthBp());
                }
            }
            if (note != null) {
                json.put("note", note);
            }
            ArrayNode list = json.putArray("considered");
            for (Considered each : considered) {
                ObjectNode item = list.addObject();
                item.put("route", each.route());
                item.put("merchant_account_id", each.merchantAccountId().toString());
                item.put("processor", each.processor());
                item.put("outcome", each.outcome());
                if (each.reason() != null) {
                    item.put("reason", each.reason());
                }
            }
            return json;
        }
    }

    private final DSLContext dsl;

    public Routing(DSLContext dsl) {
        this.dsl = dsl;
    }

    // ---- the choice ------------------------------------------------------------------------------------

    /**
     * Walks the routes in order and takes the first whose rules match {@code request} and whose account is
     * known, active, not drained, not in {@code exclude}, accepts the currency and is at or above the health
     * floor. If every matching account failed only the health floor, the healthiest of them is taken (a
     * checkout is better sent to a weak account than refused). Never a disabled or drained account.
     */
    public static Decision decide(Table table, Request request, Map<UUID, Candidate> accounts, Set<UUID> exclude) {
        List<Considered> considered = new ArrayList<>();
        Candidate weakest = null;
        int weakestRoute = -1;
        for (int index = 0; index < table.routes().size(); index++) {
            Route route = table.routes().get(index);
            Candidate account = accounts.get(route.merchantAccountId());
            String processor = account == null ? null : account.processor();
            String reason = ruleMismatch(route, request, account);
            if (reason == null && exclude.contains(route.merchantAccountId())) {
                reason = "already tried for this payment";
            }
            if (reason != null) {
                considered.add(new Considered(index, route.merchantAccountId(), processor, "skipped", reason));
                continue;
            }
            if (account.healthBp() != null && account.healthBp() < table.minHealthBp()) {
                considered.add(new Considered(index, route.merchantAccountId(), processor, "skipped",
                    "approval rate " + account.healthBp() + " bp over " + account.sample() + " payments is below the floor of "
                        + table.minHealthBp() + " bp"));
                if (weakest == null || account.healthBp() > weakest.healthBp()) {
                    weakest = account;
                    weakestRoute = index;
                }
                continue;
            }
            considered.add(new Considered(index, route.merchantAccountId(), processor, "chosen", null));
            return new Decision(Optional.of(account), index, considered, null);
        }
        if (weakest != null) {
            Candidate chosen = weakest;
            List<Considered> marked = considered.stream().map(each -> each.merchantAccountId().equals(chosen.id())
                && each.outcome().equals("skipped") && each.reason().startsWith("approval rate")
                ? new Considered(each.route(), each.merchantAccountId(), each.processor(), "chosen", each.reason()) : each)
                .toList();
            return new Decision(Optional.of(chosen), weakestRoute, marked,
                "every matching account is below the health floor; the healthiest was chosen");
        }
        return new Decision(Optional.empty(), -1, considered, "no route takes this checkout");
    }

    /** Why the route or its account cannot take the request, or null when it can. */
    private static String ruleMismatch(Route route, Request request, Candidate account) {
        if (account == null) {
            return "no such merchant account of this tenant";
        }
        if (!account.active()) {
            return "disabled";
        }
        if (account.drained()) {
            return "drained: " + account.drainedReason();
        }
        if (route.countries() != null && (request.country() == null || !route.countries().contains(request.country()))) {
            return request.country() == null ? "the route names countries and the fan's country is unknown"
                : "fan country " + request.country() + " is not among the route's countries";
        }
        if (route.excludeCountries() != null && request.country() != null
            && route.excludeCountries().contains(request.country())) {
            return "fan country " + request.country() + " is excluded by the route";
        }
        if (route.currencies() != null && !route.currencies().contains(request.currency())) {
            return "currency " + request.currency() + " is not among the route's currencies";
        }
        if (!account.currencies().contains(request.currency())) {
            return "the account does not accept " + request.currency();
        }
        if (route.minAmount() != null && request.amount() < route.minAmount()) {
            return "amount " + request.amount() + " is below the route's minimum " + route.minAmount();
        }
        if (route.maxAmount() != null && request.amount() > route.maxAmount()) {
            return "amount " + request.amount() + " is above the route's maximum " + route.maxAmount();
        }
        if (route.products() != null && !route.products().contains(request.product())) {
            return "product " + request.product() + " is not among the route's products";
        }
        if (request.method() != null && !request.method().equals(account.method())) {
            return "the checkout asks for " + request.method() + " and the account takes " + account.method();
        }
        if (route.methods() != null && !route.methods().contains(account.method())) {
            return "the route takes " + String.join(", ", new TreeSet<>(route.methods())) + ", not " + account.method();
        }
        return null;
    }

    // ---- the table ---------------------------------------------------------------------------------------

    public Optional<Table> table(String tenant) {
        return dsl.selectFrom(ROUTING_TABLES).where(ROUTING_TABLES.TENANT.eq(tenant)).fetchOptional()
            .map(row -> parseStored(row.getDocument(), row.getUpdated().toInstant()));
    }

    /**
     * Replaces the tenant's table. Every route's account must be the tenant's ({@code ownedByTenant}); the
     * answer is the table as stored.
     */
    public Table put(String tenant, Fields fields, java.util.function.Predicate<UUID> ownedByTenant) {
        Table table = parse(fields);
        for (int index = 0; index < table.routes().size(); index++) {
            UUID id = table.routes().get(index).merchantAccountId();
            if (!ownedByTenant.test(id)) {
                throw Problem.invalidField("tenant " + tenant + " has no merchant account " + id,
                    "/routes/" + index + "/merchant_account_id");
            }
        }
        Instant now = Instant.now();
        String document = MerchantAccounts.write(toJson(table));
        dsl.insertInto(ROUTING_TABLES).set(ROUTING_TABLES.TENANT, tenant).set(ROUTING_TABLES.DOCUMENT, document)
            .set(ROUTING_TABLES.UPDATED, now.atOffset(ZoneOffset.UTC))
            .onConflict(ROUTING_TABLES.TENANT).doUpdate().set(ROUTING_TABLES.DOCUMENT, document)
            .set(ROUTING_TABLES.UPDATED, now.atOffset(ZoneOffset.UTC)).execute();
        return table(tenant).orElseThrow();
    }

    public boolean delete(String tenant) {
        return dsl.deleteFrom(ROUTING_TABLES).where(ROUTING_TABLES.TENANT.eq(tenant)).execute() == 1;
    }

    static Table parse(Fields fields) {
        fields.requireKnown(TABLE_FIELDS);
        int minHealth = (int) fields.integer("min_health_bp", 0, 10_000, 0);
        int window = (int) fields.integer("health_window_hours", 1, 24 * 30, 24);
        int sample = (int) fields.integer("health_min_sample", 1, 100_000, 20);
        JsonNode routesNode = fields.node("routes");
        if (routesNode == null || !routesNode.isArray()) {
            throw Problem.invalidField("'routes' is a list of routes (it may be empty)", "/routes");
        }
        if (routesNode.size() > ROUTES_MAX) {
            throw Problem.invalidField("at most " + ROUTES_MAX + " routes", "/routes");
        }
        List<Route> routes = new ArrayList<>();
        for (int index = 0; index < routesNode.size(); index++) {
            JsonNode node = routesNode.get(index);
            String pointer = "/routes/" + index;
            if (!node.isObject()) {
                throw Problem.invalidField("a route is an object", pointer);
            }
            routes.add(route(Fields.of((ObjectNode) node, pointer), (ObjectNode) node));
        }
        return new Table(List.copyOf(routes), minHealth, window, sample, null);
    }

    private static Route route(Fields fields, ObjectNode asWritten) {
        fields.requireKnown(ROUTE_FIELDS);
        UUID account = Checkouts.uuid(fields.requiredText("merchant_account_id", 36), fields.pointer("merchant_account_id"));
        Set<String> countries = countries(fields, "countries");
        Set<String> excluded = countries(fields, "exclude_countries");
        Set<String> currencies = upperList(fields, "currencies", 10);
        Long min = fields.has("min_amount") ? fields.minor("min_amount", 0) : null;
        Long max = fields.has("max_amount") ? fields.minor("max_amount", 0) : null;
        if (min != null && max != null && min > max) {
            throw Problem.invalidField("'min_amount' is above 'max_amount'", fields.pointer("min_amount"));
        }
        Set<String> products = checkedList(fields, "products", Checkouts.PRODUCTS);
        Set<String> methods = checkedList(fields, "methods", METHODS);
        return new Route(account, countries, excluded, currencies, min, max, products, methods, asWritten.deepCopy());
    }

    private static Set<String> countries(Fields fields, String name) {
        List<String> list = fields.stringList(name, 300, 16);
        if (list == null) {
            return null;
        }
        Set<String> expanded = new TreeSet<>();
        for (int index = 0; index < list.size(); index++) {
            String entry = list.get(index);
            Set<String> region = REGIONS.get(entry);
            if (region != null) {
                expanded.addAll(region);
            } else if (COUNTRIES.contains(entry)) {
                expanded.add(entry);
            } else {
                throw Problem.invalidField("'" + entry + "' is neither an ISO 3166-1 alpha-2 country code (upper case)"
                    + " nor a region (" + String.join(", ", new TreeSet<>(REGIONS.keySet())) + ")",
                    fields.pointer(name) + "/" + index);
            }
        }
        return Set.copyOf(expanded);
    }

    private static Set<String> upperList(Fields fields, String name, int maxLength) {
        List<String> list = fields.stringList(name, 64, maxLength);
        return list == null ? null : Set.copyOf(new LinkedHashSet<>(list));
    }

    private static Set<String> checkedList(Fields fields, String name, Set<String> allowed) {
        List<String> list = fields.stringList(name, 16, 32);
        if (list == null) {
            return null;
        }
        for (int index = 0; index < list.size(); index++) {
            if (!allowed.contains(list.get(index))) {
                throw Problem.invalidField("'" + list.get(index) + "' is not one of " + String.join(", ", new TreeSet<>(allowed)),
                    fields.pointer(name) + "/" + index);
            }
        }
        return Set.copyOf(list);
    }

    private static Table parseStored(String document, Instant updated) {
        try {
            ObjectNode node = (ObjectNode) Fields.JSON.readTree(document);
            Table table = parse(Fields.of(node, ""));
            return new Table(table.routes(), table.minHealthBp(), table.healthWindowHours(), table.healthMinSample(), updated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table as the API shows it: the routes as written (regions not expanded). */
    public static ObjectNode toJson(Table table) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("min_health_bp", table.minHealthBp());
        json.put("health_window_hours", table.healthWindowHours());
        json.put("health_min_sample", table.healthMinSample());
        ArrayNode routes = json.putArray("routes");
        table.routes().forEach(route -> routes.add(route.asWritten()));
        if (table.updated() != null) {
            json.put("updated", table.updated().toString());
        }
        return json;
    }
}
