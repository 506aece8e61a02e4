package com.fanzfinance.server.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.support.SourceAddresses;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.schema.tables.records.MerchantAccountsRecord;

import static com.fanzfinance.server.payments.schema.Tables.MERCHANT_ACCOUNTS;

/**
 * Merchant accounts: a tenant's contract with a processor. Settings are checked against the driver's, secrets
 * are sealed with {@link SecretBox} and never leave this class but inside the driver's view
 * ({@link MerchantAccount}). Loaded accounts are cached; every change replaces the cached copy.
 */
public final class MerchantAccounts {
    public static final Set<String> FIELDS = Set.of("tenant", "processor", "name", "currencies", "fees", "settings", "secrets",
        "ip_allow_list", "payout", "status", "chargeback_thresholds");
    static final Set<String> PATCHABLE = Set.of("name", "currencies", "fees", "settings", "ip_allow_list", "payout", "status",
        "chargeback_thresholds", "drained");
    static final Set<String> STATUSES = Set.of("active", "disabled");
    /** Settings every processor takes. */
    static final Set<String> COMMON_SETTINGS = Set.of("ack_body", "payment_url_template",
        com.fanzfinance.server.payments.reconciliation.StatementFormats.MAPPING_SETTING,
        com.fanzfinance.server.payments.reconciliation.StatementFormats.BANK_MATCH_SETTING,
        com.fanzfinance.server.payments.reconciliation.StatementFormats.BANK_ACCOUNT_SETTING);
    private static final int IP_ALLOW_LIST_MAX = 64;

    /**
     * Fees per money event, in the event currency's minor units; {@code reserveBp} and {@code reserveDays} describe
     * the processor's rolling reserve (the share of each sale it holds back for that many days), which the
     * processor balances report shows as held.
     */
    public record Fees(int percentBp, long fixed, long chargeback, long refund, int reserveBp, int reserveDays) {
        static final Fees NONE = new Fees(0, 0, 0, 0, 0, 0);
    }

    /**
     * Payout terms of a rail account: the smallest payout, the fee per payout and who pays it ({@code creator}:
     * taken from the creator's payable into payout_fee_income; {@code platform}: the platform's payout_rail_fees
     * expense), how many days after its effective date a file payout counts as settled when no return came, and
     * how many days a new payee waits before the first payout; and the amount from which a payout needs another key's
     * approval before it moves on ({@code null}: none does; 0: every payout does).
     */
    public record Payout(long minimum, long fee, int settleAfterDays, String feePaidBy, int newPayeeHoldDays,
                         Long approvalThreshold) {
        public static final Set<String> FEE_PAYERS = Set.of("creator", "platform");

        public Payout {
            feePaidBy = feePaidBy == null ? "creator" : feePaidBy;
        }

        public boolean creatorPaysFee() {
            return feePaidBy.equals("creator");
        }
    }

    /** An account as stored, with the driver's view (secrets opened, defaults applied). */
    public record Account(UUID id, long seq, String tenant, String processor, String name, String status,
                          List<String> currencies, Fees fees, Map<String, String> settings, List<String> ipAllowList,
                          Payout payout, Map<String, Instant> secretsUpdated, Instant created, Instant updated,
                          MerchantAccount driverView, Map<String, AccountHealth.Threshold> chargebackThresholds,
                          Instant drainedAt, String drainedReason) {
        /** Whether routing keeps new checkouts away from it (its chargebacks passed a threshold, or an admin said so). */
        public boolean isDrained() {
            return drainedAt != null;
        }

        /** This account as drained at {@code at} for {@code reason}. */
        Account drained(Instant at, String reason) {
            return new Account(id, seq, tenant, processor, name, status, currencies, fees, settings, ipAllowList, payout,
                secretsUpdated, created, updated, driverView, chargebackThresholds, at, reason);
        }

        public boolean isActive() {
            return status.equals("active");
        }

        public boolean accepts(String currency) {
            return currencies.contains(currency);
        }
    }

    private final DSLContext dsl;
    private final SecretBox box;
    private final ProcessorDrivers drivers;
    private final Currencies currencies;
    private final String publicBaseUrl;
    private final Map<UUID, Account> cache = new ConcurrentHashMap<>();
    private final Map<String, AccountProvider> rails;

    public MerchantAccounts(DSLContext dsl, SecretBox box, ProcessorDrivers drivers, Currencies currencies,
                            String publicBaseUrl) {
        this(dsl, box, drivers, currencies, publicBaseUrl, List.of());
    }

    /** @param rails the payout rails accounts may also be of (their settings, secrets and checks) */
    public MerchantAccounts(DSLContext dsl, SecretBox box, ProcessorDrivers drivers, Currencies currencies,
                            String publicBaseUrl, List<AccountProvider> rails) {
        Map<String, AccountProvider> byName = new TreeMap<>();
        rails.forEach(rail -> byName.put(rail.name(), rail));
        this.rails = Map.copyOf(byName);
        this.dsl = dsl;
        this.box = box;
        this.drivers = drivers;
        this.currencies = currencies;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** The processor's driver or the payout rail named, as accounts see them. */
    public Optional<AccountProvider> provider(String name) {
        AccountProvider rail = rails.get(name);
        if (rail != null) {
            return Optional.of(rail);
        }
        return drivers.driver(name).map(AccountProvider::of);
    }

    /** Whether accounts of {@code name} are payout rail accounts (no webhooks of the payments intake, no checkouts). */
    public boolean isRail(String name) {
        return rails.containsKey(name);
    }

    private List<String> providerNames() {
        List<String> names = new ArrayList<>(drivers.all().keySet());
        names.addAll(rails.keySet());
        return names;
    }

    public String webhookUrl(String processor, UUID id) {
        return publicBaseUrl + "/hooks/" + processor + "/" + id;
    }

    /** Creates an account (or answers the one an earlier request with the same key made: {@code created} false). */
    public Created create(Fields fields, java.util.function.Predicate<String> tenantExists, String idempotencyKey,
                          String fingerprint) {
        String tenant = fields.requiredText("tenant", 64);
        if (!tenantExists.test(tenant)) {
            throw Problem.invalidField("no tenant '" + tenant + "' (create it with POST /v1/admin/tenants)", "/tenant");
        }
        String processor = fields.requiredText("processor", 32);
        AccountProvider driver = provider(processor).orElseThrow(() -> Problem.invalidField("'processor' must be one of "
            + String.join(", ", providerNames()), "/processor"));
        String name = fields.requiredText("name", 200);
        List<String> accepted = currenciesOf(fields, true);
        Fees fees = fees(fields);
        Map<String, String> settings = settings(fields, driver);
        Map<String, String> secrets = secrets(fields, driver);
        List<String> ipAllowList = ipAllowList(fields);
        Payout payout = payout(fields);
        Map<String, AccountHealth.Threshold> thresholds = thresholds(fields);
        String status = fields.oneOf("status", STATUSES, "active");
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            Optional<UUID> earlier = Idempotency.earlier(tx, tenant, "merchant-accounts", idempotencyKey, fingerprint);
            if (earlier.isEmpty()) {
                Map<String, String> effective = new TreeMap<>();
                driver.settings().forEach(spec -> spec.defaultValueIfAny().ifPresent(value -> effective.put(spec.name(), value)));
                effective.putAll(settings);
                requireWorkable(driver, new MerchantAccount(UUID.randomUUID(), tenant, processor, accepted, effective,
                    MerchantAccount.Secrets.of(secrets), ipAllowList, webhookUrl(processor, UUID.randomUUID())));
            }
            if (earlier.isPresent()) {
                return new Created(load(tx, earlier.get()).orElseThrow(), false);
            }
            UUID id = UUID.randomUUID();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Map<String, Instant> updatedAt = new TreeMap<>();
            secrets.keySet().forEach(secret -> updatedAt.put(secret, now.toInstant()));
            tx.insertInto(MERCHANT_ACCOUNTS).set(MERCHANT_ACCOUNTS.ID, id).set(MERCHANT_ACCOUNTS.TENANT, tenant)
                .set(MERCHANT_ACCOUNTS.PROCESSOR, processor).set(MERCHANT_ACCOUNTS.NAME, name)
                .set(MERCHANT_ACCOUNTS.STATUS, status).set(MERCHANT_ACCOUNTS.CURRENCIES, write(accepted))
                .set(MERCHANT_ACCOUNTS.FEES, write(fees)).set(MERCHANT_ACCOUNTS.SETTINGS, write(settings))
                .set(MERCHANT_ACCOUNTS.IP_ALLOW_LIST, ipAllowList == null ? null : write(ipAllowList))
                .set(MERCHANT_ACCOUNTS.PAYOUT, payout == null ? null : write(payout))
                .set(MERCHANT_ACCOUNTS.CHARGEBACK_THRESHOLDS, thresholds == null ? null : write(thresholds))
                .set(MERCHANT_ACCOUNTS.SECRETS, seal(id, new SealedSecrets(secrets, Map.of(), null)))
                .set(MERCHANT_ACCOUNTS.SECRETS_META, writeInstants(updatedAt))
                .set(MERCHANT_ACCOUNTS.CREATED, now).set(MERCHANT_ACCOUNTS.UPDATED, now).execute();
            Idempotency.claim(tx, tenant, "merchant-accounts", idempotencyKey, fingerprint, id);
            return new Created(load(tx, id).orElseThrow(), true);
        });
    }

    /** The outcome of a create: the account and whether this request made it. */
    public record Created(Account account, boolean created) {
    }

    public Optional<Account> get(UUID id) {
        Account cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        return load(dsl, id);
    }

    private Optional<Account> load(DSLContext context, UUID id) {
        MerchantAccountsRecord row = context.selectFrom(MERCHANT_ACCOUNTS).where(MERCHANT_ACCOUNTS.ID.eq(id)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        Account account = toAccount(row);
        cache.put(id, account);
        return Optional.of(account);
    }

    /** Accounts in creation order after {@code afterSeq}, filtered; at most {@code limit}. */
    public List<Account> list(Set<String> tenants, String tenant, String processor, long afterSeq, int limit, boolean reversed) {
        var condition = DSL.noCondition();
        if (tenants != null) {
            condition = condition.and(MERCHANT_ACCOUNTS.TENANT.in(tenants));
        }
        if (tenant != null) {
            condition = condition.and(MERCHANT_ACCOUNTS.TENANT.eq(tenant));
        }
        if (processor != null) {
            condition = condition.and(MERCHANT_ACCOUNTS.PROCESSOR.eq(processor));
        }
        if (afterSeq > 0) {
            condition = condition.and(reversed ? MERCHANT_ACCOUNTS.SEQ.lt(afterSeq) : MERCHANT_ACCOUNTS.SEQ.gt(afterSeq));
        }
        return dsl.selectFrom(MERCHANT_ACCOUNTS).where(condition)
            .orderBy(reversed ? MERCHANT_ACCOUNTS.SEQ.desc() : MERCHANT_ACCOUNTS.SEQ.asc()).limit(limit)
            .fetch().map(this::toAccount);
    }

    /** The tenant's oldest active account of {@code processor}: the checkouts' default. */
    public List<Account> ofTenant(String tenant, String processor) {
        return dsl.selectFrom(MERCHANT_ACCOUNTS).where(MERCHANT_ACCOUNTS.TENANT.eq(tenant), MERCHANT_ACCOUNTS.PROCESSOR.eq(processor))
            .orderBy(MERCHANT_ACCOUNTS.SEQ.asc()).fetch().map(this::toAccount);
    }

    /** Changes what {@link #PATCHABLE} names; other fields → 400. */
    public Account patch(UUID id, Fields fields) {
        fields.requireKnown(PATCHABLE);
        Account current = get(id).orElseThrow(() -> Problem.notFound("no merchant account " + id));
        AccountProvider driver = provider(current.processor()).orElseThrow();
        var update = dsl.update(MERCHANT_ACCOUNTS).set(MERCHANT_ACCOUNTS.UPDATED, OffsetDateTime.now(ZoneOffset.UTC));
        if (fields.has("name")) {
            update = update.set(MERCHANT_ACCOUNTS.NAME, fields.requiredText("name", 200));
        }
        if (fields.has("currencies")) {
            update = update.set(MERCHANT_ACCOUNTS.CURRENCIES, write(currenciesOf(fields, true)));
        }
        if (fields.has("fees")) {
            update = update.set(MERCHANT_ACCOUNTS.FEES, write(fees(fields)));
        }
        if (fields.has("settings")) {
            update = update.set(MERCHANT_ACCOUNTS.SETTINGS, write(settings(fields, driver)));
        }
        if (fields.node("ip_allow_list") != null) {
            List<String> list = ipAllowList(fields);
            update = update.set(MERCHANT_ACCOUNTS.IP_ALLOW_LIST, list == null ? null : write(list));
        }
        if (fields.has("payout")) {
            update = update.set(MERCHANT_ACCOUNTS.PAYOUT, write(payout(fields)));
        }
        if (fields.has("status")) {
            update = update.set(MERCHANT_ACCOUNTS.STATUS, fields.oneOf("status", STATUSES, current.status()));
        }
        if (fields.node("chargeback_thresholds") != null) {
            Map<String, AccountHealth.Threshold> thresholds = thresholds(fields);
            update = update.set(MERCHANT_ACCOUNTS.CHARGEBACK_THRESHOLDS, thresholds == null ? null : write(thresholds));
        }
        if (fields.has("drained")) {
            JsonNode drained = fields.node("drained");
            if (!drained.isBoolean()) {
                throw Problem.invalidField("'drained' is true (keep new checkouts away) or false (take them again)", "/drained");
            }
            if (!drained.booleanValue()) {
                update = update.set(MERCHANT_ACCOUNTS.DRAINED_AT, (OffsetDateTime) null)
                    .set(MERCHANT_ACCOUNTS.DRAINED_REASON, (String) null);
            } else if (!current.isDrained()) {
                update = update.set(MERCHANT_ACCOUNTS.DRAINED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .set(MERCHANT_ACCOUNTS.DRAINED_REASON, "drained by an admin");
            }
        }
        var finished = update.where(MERCHANT_ACCOUNTS.ID.eq(id));
        try {
            return dsl.transactionResult(configuration -> {
                DSLContext tx = DSL.using(configuration);
                tx.execute(finished);
                Account changed = toAccount(tx.selectFrom(MERCHANT_ACCOUNTS).where(MERCHANT_ACCOUNTS.ID.eq(id)).fetchOne());
                requireWorkable(driver, changed.driverView());
                return changed;
            });
        } finally {
            cache.remove(id);
        }
    }

    /**
     * Replaces the named secrets; the values they replace stay accepted for {@code previousValidSeconds}
     * (0: retired at once). Secrets not named keep their values.
     */
    public Account rotateSecrets(UUID id, Fields fields) {
        fields.requireKnown(Set.of("secrets", "previous_valid_seconds"));
        Account current = get(id).orElseThrow(() -> Problem.notFound("no merchant account " + id));
        AccountProvider driver = provider(current.processor()).orElseThrow();
        Map<String, String> fresh = secretsOnly(fields, driver);
        if (fresh.isEmpty()) {
            throw Problem.invalidField("'secrets' names at least one secret", "/secrets");
        }
        long grace = fields.integer("previous_valid_seconds", 0, 90L * 86_400, 86_400);
        dsl.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            MerchantAccountsRecord row = tx.selectFrom(MERCHANT_ACCOUNTS).where(MERCHANT_ACCOUNTS.ID.eq(id)).forUpdate().fetchOne();
            SealedSecrets sealed = unseal(id, row.getSecrets());
            Map<String, String> next = new TreeMap<>(sealed.current());
            Map<String, String> previous = new TreeMap<>();
            fresh.forEach((secret, value) -> {
                String old = next.put(secret, value);
                if (old != null && grace > 0) {
                    previous.put(secret, old);
                }
            });
            Instant now = Instant.now();
            Map<String, Instant> meta = readInstants(row.getSecretsMeta());
            fresh.keySet().forEach(secret -> meta.put(secret, now));
            tx.update(MERCHANT_ACCOUNTS)
                .set(MERCHANT_ACCOUNTS.SECRETS, seal(id, new SealedSecrets(next, previous,
                    previous.isEmpty() ? null : now.plusSeconds(grace).toString())))
                .set(MERCHANT_ACCOUNTS.SECRETS_META, writeInstants(meta))
                .set(MERCHANT_ACCOUNTS.UPDATED, now.atOffset(ZoneOffset.UTC))
                .where(MERCHANT_ACCOUNTS.ID.eq(id)).execute();
        });
        cache.remove(id);
        return load(dsl, id).orElseThrow();
    }

    /** The JSON of an account as the API shows it: secrets only as {@code {"set":true,"updated"}}. */
    public static ObjectNode toJson(Account account) {
        ObjectNode json = Fields.JSON.createObjectNode();
        json.put("id", account.id().toString());
        json.put("tenant", account.tenant());
        json.put("processor", account.processor());
        json.put("name", account.name());
        json.put("status", account.status());
        ArrayNode currencies = json.putArray("currencies");
        account.currencies().forEach(currencies::add);
        ObjectNode fees = json.putObject("fees");
        fees.put("percent_bp", account.fees().percentBp());
        fees.put("fixed", Long.toString(account.fees().fixed()));
        fees.put("chargeback", Long.toString(account.fees().chargeback()));
        fees.put("refund", Long.toString(account.fees().refund()));
        fees.put("reserve_bp", account.fees().reserveBp());
        fees.put("reserve_days", account.fees().reserveDays());
        ObjectNode settings = json.putObject("settings");
        account.settings().forEach(settings::put);
        ObjectNode secrets = json.putObject("secrets");
        account.secretsUpdated().forEach((name, updated) -> secrets.putObject(name).put("set", true)
            .put("updated", updated.toString()));
        if (account.ipAllowList() == null) {
            json.putNull("ip_allow_list");
        } else {
            ArrayNode list = json.putArray("ip_allow_list");
            account.ipAllowList().forEach(list::add);
        }
        if (account.payout() == null) {
            json.putNull("payout");
        } else {
            json.putObject("payout").put("minimum", Long.toString(account.payout().minimum()))
                .put("fee", Long.toString(account.payout().fee())).put("settle_after_days", account.payout().settleAfterDays())
                .put("fee_paid_by", account.payout().feePaidBy()).put("new_payee_hold_days", account.payout().newPayeeHoldDays())
                .put("approval_threshold", account.payout().approvalThreshold() == null ? null
                    : Long.toString(account.payout().approvalThreshold()));
        }
        ObjectNode thresholds = json.putObject("chargeback_thresholds");
        java.util.Set<String> networks = new java.util.TreeSet<>(AccountHealth.DEFAULT_THRESHOLDS.keySet());
        networks.addAll(account.chargebackThresholds().keySet());
        networks.forEach(network -> thresholds.set(network,
            AccountHealth.thresholdJson(AccountHealth.threshold(network, account.chargebackThresholds()))));
        drainJson(json, account);
        json.put("webhook_url", account.driverView().webhookUrl());
        json.put("created", account.created().toString());
        json.put("updated", account.updated().toString());
        return json;
    }

    /** Refuses (400) an account that could authenticate no notification, as its driver sees it. */
    private static void requireWorkable(AccountProvider driver, MerchantAccount view) {
        if (view.setting("confirm_with_api").filter(value -> !value.trim().equals("false")).isPresent()) {
            throw Problem.invalidField("confirm_with_api is not supported by this server yet: notifications are"
                + " authenticated by their signature alone; leave it false", "/settings/confirm_with_api");
        }
        List<String> problems = driver.accountProblems(view);
        if (!problems.isEmpty()) {
            throw Problem.invalidField(String.join("; ", problems), null);
        }
    }

    /** Adds {@code "drained"}: null, or {@code {"at","reason"}}. */
    static void drainJson(ObjectNode json, Account account) {
        if (account.isDrained()) {
            json.putObject("drained").put("at", account.drainedAt().toString()).put("reason", account.drainedReason());
        } else {
            json.putNull("drained");
        }
    }

    /**
     * Drains the account if it is not drained yet, in {@code tx}; true when this call drained it (so that exactly
     * one caller announces it).
     */
    boolean drain(DSLContext tx, UUID id, String reason, Instant at) {
        int changed = tx.update(MERCHANT_ACCOUNTS).set(MERCHANT_ACCOUNTS.DRAINED_AT, at.atOffset(ZoneOffset.UTC))
            .set(MERCHANT_ACCOUNTS.DRAINED_REASON, reason.length() > 400 ? reason.substring(0, 400) : reason)
            .where(MERCHANT_ACCOUNTS.ID.eq(id), MERCHANT_ACCOUNTS.DRAINED_AT.isNull()).execute();
        cache.remove(id);
        return changed == 1;
    }

    /** Forgets the cached copy (another writer changed the row). */
    void forget(UUID id) {
        cache.remove(id);
    }

    /**
     * Every account with at least one chargeback since {@code since}: what the monitor re-checks. Asked per account
     * (few rows) so that each probe is one lookup in the events' (account, kind, received) index, never a scan of
     * all events.
     */
    List<UUID> withChargebacksSince(Instant since) {
        var events = com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;
        return dsl.select(MERCHANT_ACCOUNTS.ID).from(MERCHANT_ACCOUNTS)
            .whereExists(DSL.selectOne().from(events).where(events.MERCHANT_ACCOUNT_ID.eq(MERCHANT_ACCOUNTS.ID),
                events.KIND.eq(DSL.inline("chargeback")), events.RECEIVED_AT.ge(since.atOffset(ZoneOffset.UTC))))
            .fetch(MERCHANT_ACCOUNTS.ID);
    }

    private static final Set<String> THRESHOLD_FIELDS = Set.of("ratio_bp", "min_count", "denominator");

    /** {@code chargeback_thresholds}: per network (or {@code other}) {@code {"ratio_bp","min_count","denominator"}}. */
    private static Map<String, AccountHealth.Threshold> thresholds(Fields fields) {
        JsonNode node = fields.node("chargeback_thresholds");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw Problem.invalidField("'chargeback_thresholds' is an object of networks", "/chargeback_thresholds");
        }
        Map<String, AccountHealth.Threshold> result = new TreeMap<>();
        Fields all = fields.object("chargeback_thresholds");
        for (var entry : node.properties()) {
            String network = entry.getKey();
            String pointer = "/chargeback_thresholds/" + network;
            if (!AccountHealth.NETWORKS.contains(network)) {
                throw Problem.invalidField("'" + network + "' is not a network: one of "
                    + String.join(", ", AccountHealth.NETWORKS), pointer);
            }
            Fields one = all.object(network);
            one.requireKnown(THRESHOLD_FIELDS);
            AccountHealth.Threshold base = AccountHealth.threshold(network, Map.of());
            int ratio = (int) one.integer("ratio_bp", 1, 10_000, base.ratioBp());
            long count = one.integer("min_count", 1, 1_000_000_000, base.minCount());
            String denominator = one.oneOf("denominator", Set.of(AccountHealth.Threshold.SAME_WINDOW,
                AccountHealth.Threshold.PREVIOUS_WINDOW), base.denominator());
            result.put(network, new AccountHealth.Threshold(ratio, count, denominator));
        }
        return result;
    }

    // ---- validation ---------------------------------------------------------------------------------

    private List<String> currenciesOf(Fields fields, boolean required) {
        List<String> list = fields.stringList("currencies", 32, 8);
        if (list == null || list.isEmpty()) {
            if (required) {
                throw Problem.invalidField("'currencies' lists at least one currency code", "/currencies");
            }
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            if (!currencies.isKnown(list.get(i))) {
                throw Problem.invalidField("'" + list.get(i) + "' is not a currency of the chart's registry", "/currencies/" + i);
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(list));
    }

    private static Fees fees(Fields fields) {
        Fields fees = fields.object("fees");
        if (fees == null) {
            return Fees.NONE;
        }
        fees.requireKnown(Set.of("percent_bp", "fixed", "chargeback", "refund", "reserve_bp", "reserve_days"));
        return new Fees((int) fees.integer("percent_bp", 0, 10_000, 0), fees.minor("fixed", 0), fees.minor("chargeback", 0),
            fees.minor("refund", 0), (int) fees.integer("reserve_bp", 0, 10_000, 0),
            (int) fees.integer("reserve_days", 0, 730, 0));
    }

    private static Payout payout(Fields fields) {
        Fields payout = fields.object("payout");
        if (payout == null) {
            return null;
        }
        payout.requireKnown(Set.of("minimum", "fee", "settle_after_days", "fee_paid_by", "new_payee_hold_days",
            "approval_threshold"));
        return new Payout(payout.minor("minimum", 0), payout.minor("fee", 0),
            (int) payout.integer("settle_after_days", 0, 365, 0), payout.oneOf("fee_paid_by", Payout.FEE_PAYERS, "creator"),
            (int) payout.integer("new_payee_hold_days", 0, 365, 0),
            payout.has("approval_threshold") ? payout.minor("approval_threshold", 0) : null);
    }

    private static Map<String, String> settings(Fields fields, AccountProvider driver) {
        Map<String, String> given = fields.stringMap("settings", 64, 4096);
        Map<String, SettingSpec> specs = new LinkedHashMap<>();
        driver.settings().forEach(spec -> specs.put(spec.name(), spec));
        for (String name : given.keySet()) {
            if (!specs.containsKey(name) && !COMMON_SETTINGS.contains(name)) {
                throw Problem.badRequest("unknown-field", "'" + name + "' is not a setting of " + driver.name() + " (known: "
                    + String.join(", ", specs.keySet()) + ", " + String.join(", ", new java.util.TreeSet<>(COMMON_SETTINGS))
                    + ")", "/settings/" + name);
            }
        }
        for (SettingSpec spec : specs.values()) {
            String value = given.get(spec.name());
            if (spec.required() && (value == null || value.isBlank())) {
                throw Problem.invalidField("setting '" + spec.name() + "' is required for " + driver.name(),
                    "/settings/" + spec.name());
            }
        }
        com.fanzfinance.server.payments.reconciliation.StatementFormats.checkSettings(given);
        return new TreeMap<>(given);
    }

    private static Map<String, String> secrets(Fields fields, AccountProvider driver) {
        Map<String, String> given = secretsOnly(fields, driver);
        for (SecretSpec spec : driver.secrets()) {
            if (spec.required() && !given.containsKey(spec.name())) {
                throw Problem.invalidField("secret '" + spec.name() + "' is required for " + driver.name(),
                    "/secrets/" + spec.name());
            }
        }
        return given;
    }

    private static Map<String, String> secretsOnly(Fields fields, AccountProvider driver) {
        Map<String, String> given = fields.stringMap("secrets", 16, 8192);
        Set<String> known = new java.util.TreeSet<>();
        driver.secrets().forEach(spec -> known.add(spec.name()));
        for (Map.Entry<String, String> entry : given.entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw Problem.badRequest("unknown-field", "'" + entry.getKey() + "' is not a secret of " + driver.name()
                    + " (known: " + String.join(", ", known) + ")", "/secrets/" + entry.getKey());
            }
            if (entry.getValue().isEmpty()) {
                throw Problem.invalidField("a secret is not empty", "/secrets/" + entry.getKey());
            }
        }
        return new TreeMap<>(given);
    }

    private static List<String> ipAllowList(Fields fields) {
        List<String> list = fields.stringList("ip_allow_list", IP_ALLOW_LIST_MAX, 64);
        if (list == null) {
            return null;
        }
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                ranges.add(SourceAddresses.parse(list.get(i)).text());
            } catch (IllegalArgumentException e) {
                throw Problem.invalidField(e.getMessage(), "/ip_allow_list/" + i);
            }
        }
        return ranges;
    }

    // ---- storage --------------------------------------------------------------------------------------

    /** The sealed document: current values, values replaced by the last rotation, and until when those count. */
    record SealedSecrets(Map<String, String> current, Map<String, String> previous, String previousValidUntil) {
    }

    private byte[] seal(UUID id, SealedSecrets secrets) {
        try {
            return box.seal(Fields.JSON.writeValueAsBytes(secrets), id.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SealedSecrets unseal(UUID id, byte[] sealed) {
        try {
            return Fields.JSON.readValue(box.open(sealed, id.toString()), SealedSecrets.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Account toAccount(MerchantAccountsRecord row) {
        try {
            List<String> accepted = Fields.JSON.readValue(row.getCurrencies(), new TypeReference<List<String>>() { });
            Fees fees = Fields.JSON.readValue(row.getFees(), Fees.class);
            Map<String, String> settings = Fields.JSON.readValue(row.getSettings(), new TypeReference<TreeMap<String, String>>() { });
            List<String> ipAllowList = row.getIpAllowList() == null ? null
                : Fields.JSON.readValue(row.getIpAllowList(), new TypeReference<List<String>>() { });
            Payout payout = row.getPayout() == null ? null : Fields.JSON.readValue(row.getPayout(), Payout.class);
            SealedSecrets sealed = unseal(row.getId(), row.getSecrets());
            AccountProvider driver = provider(row.getProcessor()).orElse(null);
            Map<String, String> effective = new TreeMap<>();
            if (driver != null) {
                driver.settings().forEach(spec -> spec.defaultValueIfAny().ifPresent(value -> effective.put(spec.name(), value)));
            }
            effective.putAll(settings);
            MerchantAccount view = new MerchantAccount(row.getId(), row.getTenant(), row.getProcessor(), accepted, effective,
                new MerchantAccount.Secrets(sealed.current(), sealed.previous(),
                    sealed.previousValidUntil() == null ? null : Instant.parse(sealed.previousValidUntil())),
                ipAllowList, webhookUrl(row.getProcessor(), row.getId()));
            Map<String, AccountHealth.Threshold> thresholds = row.getChargebackThresholds() == null ? Map.of()
                : Fields.JSON.readValue(row.getChargebackThresholds(),
                    new TypeReference<TreeMap<String, AccountHealth.Threshold>>() { });
            return new Account(row.getId(), row.getSeq(), row.getTenant(), row.getProcessor(), row.getName(), row.getStatus(),
                accepted, fees, settings, ipAllowList, payout, readInstants(row.getSecretsMeta()),
                row.getCreated().toInstant(), row.getUpdated().toInstant(), view, thresholds,
                row.getDrainedAt() == null ? null : row.getDrainedAt().toInstant(), row.getDrainedReason());
        } catch (IOException e) {
            throw new UncheckedIOException("merchant account " + row.getId() + " is unreadable", e);
        }
    }

    private static Map<String, Instant> readInstants(String json) throws IOException {
        Map<String, String> raw = Fields.JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        Map<String, Instant> instants = new TreeMap<>();
        raw.forEach((name, value) -> instants.put(name, Instant.parse(value)));
        return instants;
    }

    private static String writeInstants(Map<String, Instant> instants) {
        Map<String, String> text = new TreeMap<>();
        instants.forEach((name, instant) -> text.put(name, instant.toString()));
        return write(text);
    }

    static String write(Object value) {
        try {
            return Fields.JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
