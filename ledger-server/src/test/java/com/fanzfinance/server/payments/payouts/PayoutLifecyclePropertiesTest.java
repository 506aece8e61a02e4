package com.fanzfinance.server.payments.payouts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.EventSink;
import com.fanzfinance.server.payments.Fields;
import com.fanzfinance.server.payments.MerchantAccounts;
import com.fanzfinance.server.payments.SecretBox;
import com.fanzfinance.server.payments.posting.EngineLedgerPort;
import com.fanzfinance.server.payments.posting.LedgerPort;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.payments.posting.PlannedAccount;
import com.fanzfinance.server.payments.posting.Uuid5;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payout lifecycle against a real journaled ledger and a real PostgreSQL schema, under random sequences of
 * earnings, requests, cancellations, batch runs, submissions, settlements (by event and by the settle-after sweep),
 * failures, returns and crashes. A crash is the ledger command failing as the process would die: before the ledger
 * applied it, or after it applied it but before the answer arrived; the "restart" is the sweep that finishes what was
 * left half done. After every step, once recovered:
 * <ul>
 *   <li>Σ earned = the creator's available payable + held for payouts + paid (amount and the creator's fee of every
 *       settled payout): no money made or lost;</li>
 *   <li>held for payouts (the payable's pending debits) is exactly the amounts and creator fees of the payouts
 *       held, batched or submitted, and the rail's in-transit account has exactly the settled amounts posted;</li>
 *   <li>no payout is paid twice: the payable's posted debits are exactly Σ over settled or returned-after-settlement
 *       payouts, and its reversal credits exactly Σ over those returned after settlement;</li>
 *   <li>nothing is left half done: no payout is still requested or has an intent.</li>
 * </ul>
 */
class PayoutLifecyclePropertiesTest {
    private static final String TENANT = "girlfanz";
    private static final int USD = 840;
    private static final AtomicInteger TRIES = new AtomicInteger();

    private static Path directory;
    private static LedgerEngine engine;
    private static int tenantNumber;
    private static String schema;
    private static HikariDataSource pool;
    private static DSLContext dsl;
    private static CrashingLedger ledgerPort;
    private static MerchantAccounts accounts;
    private static Payees payees;
    private static Payouts payouts;
    private static PayoutBatches batches;
    private static PayoutSweep sweep;

    @BeforeContainer
    static void open() throws Exception {
        directory = Files.createTempDirectory("payout-lifecycle");
        engine = LedgerEngine.open(EngineConfig.defaults(directory.resolve("ledger")).withDurability(Durability.OS));
        tenantNumber = LedgerEngine.join(engine.submitTenant(TenantSettings.register(TENANT))).number();
        schema = TestDatabase.freshSchema("payouts");
        Flyway.configure().dataSource(TestDatabase.url(), null, null).schemas(schema).createSchemas(true)
            .locations("classpath:db/payments").load().migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.url());
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql("SET search_path TO " + schema);
        pool = new HikariDataSource(config);
        dsl = DSL.using(pool, SQLDialect.POSTGRES);
        Currencies currencies = new Currencies(ChartOfAccounts.load(null));
        SecretBox box = SecretBox.open(Base64.getEncoder().encodeToString(new byte[32]), directory);
        accounts = new MerchantAccounts(dsl, box, ProcessorDrivers.load(), currencies, "http://127.0.0.1", RailAccounts.all());
        ledgerPort = new CrashingLedger(new EngineLedgerPort(engine));
        payees = new Payees(dsl, box, currencies);
        payouts = new Payouts(dsl, payees, accounts, currencies, new PayoutLedger(ledgerPort, tenant -> tenantNumber),
            EventSink.NONE, java.time.Clock.systemUTC());
        batches = new PayoutBatches(dsl, payouts, payees, accounts, EventSink.NONE, 5000, box);
        sweep = new PayoutSweep(dsl, payouts, payees, accounts, "MON 09:00", Duration.ofSeconds(30));
    }

    @AfterContainer
    static void close() {
        if (pool != null) {
            pool.close();
            TestDatabase.dropSchema(schema);
        }
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * One step of a sequence. {@code pick} chooses among the payouts made so far (0: the latest); {@code amount} is in
     * cents; {@code crash} is where the step's first transfer command dies: {@code none}, {@code before} or
     * {@code after} the ledger applied it.
     */
    record Step(String kind, long amount, int pick, String crash) {
        @Override
        public String toString() {
            return kind + "(" + amount + "," + pick + (crash.equals("none") ? "" : "," + crash) + ")";
        }
    }

    @Property(tries = 60)
    void moneyIsNeitherMadeNorLostAndNothingIsPaidTwice(@ForAll("sequences") @Size(min = 5, max = 35) List<Step> steps) {
        World world = new World(TRIES.incrementAndGet());
        for (Step step : steps) {
            world.apply(step);
            world.recover();
            world.checkInvariants(steps);
        }
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<String> kinds = Arbitraries.frequency(
            net.jqwik.api.Tuple.of(4, "earn"), net.jqwik.api.Tuple.of(4, "request"), net.jqwik.api.Tuple.of(2, "request_all"),
            net.jqwik.api.Tuple.of(1, "cancel"), net.jqwik.api.Tuple.of(2, "batch"), net.jqwik.api.Tuple.of(2, "submit"),
            net.jqwik.api.Tuple.of(3, "settle"), net.jqwik.api.Tuple.of(1, "fail"), net.jqwik.api.Tuple.of(3, "return"),
            net.jqwik.api.Tuple.of(1, "settle_due"));
        Arbitrary<Integer> pick = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 20)));
        Arbitrary<String> crash = Arbitraries.frequency(net.jqwik.api.Tuple.of(6, "none"),
            net.jqwik.api.Tuple.of(2, "before"), net.jqwik.api.Tuple.of(2, "after"));
        Arbitrary<Step> step = net.jqwik.api.Combinators.combine(kinds, Arbitraries.longs().between(100, 12_000), pick, crash)
            .as(Step::new);
        return step.list();
    }

    /** One try's creator, payee and rail account, and the ledger accounts it reads. */
    private static final class World {
        private final String creator;
        private final UUID payeeId;
        private final MerchantAccounts.Account rail;
        private final List<UUID> made = new ArrayList<>();
        private long earned;
        private int keys;

        World(int number) {
            this(number, "{}");
        }

        /** @param extraPayout more payout terms of the rail account, as JSON members, e.g. new_payee_hold_days */
        World(int number, String extraPayout) {
            retireRailAccounts();
            creator = "c_" + number;
            long fee = number % 3 == 0 ? 0 : 25;
            String payer = number % 2 == 0 ? "creator" : "platform";
            rail = accounts.create(Fields.parse(("""
                {"tenant":"girlfanz","processor":"ach","name":"ACH %d","currencies":["USD"],"settings":{
                 "immediate_destination":"231380104","immediate_destination_name":"FED","immediate_origin":"121042882",
                 "immediate_origin_name":"GIRLFANZ","company_name":"GIRLFANZ","company_identification":"1234567890",
                 "odfi_identification":"12104288"},"payout":{"minimum":"100","fee":"%d","fee_paid_by":"%s",
                 "settle_after_days":3%s}}""").formatted(number, fee, payer,
                extraPayout.equals("{}") ? "" : "," + extraPayout.substring(1, extraPayout.length() - 1))
                .getBytes(StandardCharsets.UTF_8),
                MerchantAccounts.FIELDS), tenant -> true, null, null).account();
            payeeId = payees.save(Fields.parse(("""
                {"tenant":"girlfanz","creator":"%s","name":"Creator %d","country":"US","currency":"USD","rail":"ach",
                 "rail_details":{"routing_number":"231380104","account_number":"%d"}}""").formatted(creator, number,
                10_000 + number).getBytes(StandardCharsets.UTF_8), Payees.FIELDS), tenant -> true).payee().id();
            payees.setCompliance(payeeId, Fields.parse(
                "{\"kyc\":\"verified\",\"age\":\"verified\",\"records_2257\":\"on_file\"}".getBytes(StandardCharsets.UTF_8),
                Payees.COMPLIANCE_FIELDS));
        }

        /** Payouts go to the tenant's oldest active rail account: each try disables those of the tries before. */
        private static void retireRailAccounts() {
            for (MerchantAccounts.Account old : accounts.ofTenant(TENANT, "ach")) {
                if (old.isActive()) {
                    accounts.patch(old.id(), Fields.parse("{\"status\":\"disabled\"}".getBytes(StandardCharsets.UTF_8),
                        MerchantAccounts.FIELDS));
                }
            }
        }

        void apply(Step step) {
            if (!step.crash().equals("none")) {
                ledgerPort.crashNext(step.crash().equals("after"));
            }
            try {
                switch (step.kind()) {
                    case "earn" -> earn(step.amount());
                    case "request" -> request(Long.toString(step.amount()));
                    case "request_all" -> request("all");
                    case "cancel" -> pick(step).ifPresent(payouts::cancel);
                    case "batch" -> batches.create(Fields.parse(("{\"rail\":\"ach\",\"merchant_account_id\":\"" + rail.id()
                        + "\"}").getBytes(StandardCharsets.UTF_8), PayoutBatches.FIELDS), tenant -> true);
                    case "submit" -> pick(step).flatMap(payouts::get).map(Payouts.Payout::batchId)
                        .ifPresent(batches::submit);
                    case "settle" -> pick(step).ifPresent(id -> payouts.event(id, event("settled")));
                    case "fail" -> pick(step).ifPresent(id -> payouts.event(id, event("failed")));
                    case "return" -> pick(step).ifPresent(id -> payouts.event(id, event("returned")));
                    case "settle_due" -> sweep.settleDue(Instant.now().plus(Duration.ofDays(10)));
                    default -> throw new IllegalArgumentException(step.kind());
                }
            } catch (Problem refused) {
                assertThat(refused.status()).as(refused.getMessage()).isIn(400, 404, 409, 422);
            } catch (SimulatedCrash crash) {
                // the process died here: the sweep after the restart finishes the work
            }
        }

        private Optional<UUID> pick(Step step) {
            return made.isEmpty() ? Optional.empty() : Optional.of(made.get(made.size() - 1 - step.pick() % made.size()));
        }

        private static Fields event(String type) {
            return Fields.parse(("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8), Payouts.EVENT_FIELDS);
        }

        private void request(String amount) {
            String key = creator + "-k" + keys++;
            byte[] body = ("{\"payee_id\":\"" + payeeId + "\",\"amount\":\"" + amount + "\",\"currency\":\"USD\"}")
                .getBytes(StandardCharsets.UTF_8);
            try {
                made.add(payouts.request(Fields.parse(body, Payouts.FIELDS), tenant -> true, key,
                    sha256(body), "key_test").payout().id());
            } catch (SimulatedCrash crash) {
                dsl.select(com.fanzfinance.server.payments.schema.Tables.PAYOUTS.ID)
                    .from(com.fanzfinance.server.payments.schema.Tables.PAYOUTS)
                    .where(com.fanzfinance.server.payments.schema.Tables.PAYOUTS.PAYEE_ID.eq(payeeId))
                    .fetch().forEach(row -> {
                        if (!made.contains(row.value1())) {
                            made.add(row.value1());
                        }
                    });
                throw crash;
            }
        }

        private static String sha256(byte[] body) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Earnings: the creator's payable credited from a processor receivable, as a sale would. */
        private void earn(long amount) {
            PlannedAccount receivable = PaymentAccounts.account(TENANT, USD, PaymentRole.PROCESSOR_RECEIVABLE, "ccbill", "m_1");
            PlannedAccount payable = PaymentAccounts.account(TENANT, USD, PaymentRole.CREATOR_PAYABLE, null, creator);
            List<CreateAccountStatus> made = ledgerPort.delegate.createAccounts(tenantNumber, List.of(receivable, payable));
            assertThat(made).allMatch(status -> status == CreateAccountStatus.CREATED || status == CreateAccountStatus.EXISTS);
            Transfer transfer = new Transfer(Uuid5.toUint128(UUID.randomUUID()), Uuid5.toUint128(receivable.id()),
                Uuid5.toUint128(payable.id()), amount, Uint128.ZERO, Uint128.ZERO, 0, 0, 0, USD, 101, 0, 0, PendingStatus.NONE);
            assertThat(ledgerPort.delegate.createTransfers(List.of(transfer))).containsExactly(CreateTransferStatus.CREATED);
            earned += amount;
        }

        void recover() {
            ledgerPort.crashNext = null;
            payouts.finishUnfinished(Instant.now().plus(Duration.ofMinutes(1)), Duration.ofSeconds(30), 1000);
        }

        List<Payouts.Payout> payouts() {
            return payouts.list(com.fanzfinance.server.payments.schema.Tables.PAYOUTS.PAYEE_ID.eq(payeeId), 0, 1000, false);
        }

        void checkInvariants(List<Step> steps) {
            List<Payouts.Payout> all = payouts();
            long held = 0;
            long paid = 0;
            long settledAmounts = 0;
            long settledOrReturnedAfter = 0;
            long returnedAfter = 0;
            for (Payouts.Payout payout : all) {
                assertThat(payout.pendingStatus()).as("an intent left over: %s in %s", payout, steps).isNull();
                assertThat(payout.status()).as("a request left over in %s", steps).isNotEqualTo("requested");
                long creatorPart = payout.amount() + (payout.feePaidBy().equals("creator") ? payout.fee() : 0);
                boolean wasSettled = payout.transferIds().contains(PayoutLedger.transferId(payout.id(), "post-amount").toString());
                switch (payout.status()) {
                    case "held", "batched", "submitted" -> held += creatorPart;
                    case "settled" -> {
                        paid += creatorPart;
                        settledAmounts += payout.amount() + (payout.feePaidBy().equals("platform") ? payout.fee() : 0);
                    }
                    default -> { }
                }
                if (payout.status().equals("settled") || payout.status().equals("returned") && wasSettled) {
                    settledOrReturnedAfter += creatorPart;
                }
                if (payout.status().equals("returned") && wasSettled) {
                    returnedAfter += creatorPart;
                }
            }
            Account payable = account(PaymentRole.CREATOR_PAYABLE, null, creator);
            long available = payable.creditsPosted() - payable.debitsPosted() - payable.debitsPending();
            assertThat(available).as("available never negative").isGreaterThanOrEqualTo(0);
            assertThat(payable.debitsPending()).as("held for payouts in %s", steps).isEqualTo(held);
            assertThat(available + held + paid).as("Σ earned in %s", steps).isEqualTo(earned);
            assertThat(payable.debitsPosted()).as("posted payouts (none twice) in %s", steps).isEqualTo(settledOrReturnedAfter);
            assertThat(payable.creditsPosted()).as("earnings and reversals in %s", steps).isEqualTo(earned + returnedAfter);
            Account inTransit = account(PaymentRole.PAYOUTS_IN_TRANSIT, "ach", rail.id().toString());
            if (inTransit != null) {
                assertThat(inTransit.creditsPosted() - inTransit.debitsPosted()).as("in transit in %s", steps)
                    .isEqualTo(settledAmounts);
            }
        }

        private static Account account(PaymentRole role, String rail, String party) {
            Uint128 id = Uuid5.toUint128(PaymentAccounts.account(TENANT, USD, role, rail, party).id());
            return engine.lookupAccount(id).orElse(role == PaymentRole.CREATOR_PAYABLE
                ? new Account(id, 0, 0, 0, 0, Uint128.ZERO, 0, 0, USD, 2100, 0, 0, 0) : null);
        }
    }

    @net.jqwik.api.Example
    void schedulesRequestAllOncePerPeriodAndSkipPayeesFailingTheGate() {
        World world = new World(TRIES.incrementAndGet());
        world.earn(5_000);
        payees.save(Fields.parse(("""
            {"tenant":"girlfanz","creator":"%s","name":"Creator","country":"US","currency":"USD","rail":"ach",
             "rail_details":{"routing_number":"231380104","account_number":"1"},"schedule":"threshold","threshold":"6000"}""")
            .formatted(world.creator).getBytes(StandardCharsets.UTF_8), Payees.FIELDS), tenant -> true);
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        sweep.run(now);
        assertThat(world.payouts()).as("under the threshold").isEmpty();
        world.earn(2_000);
        sweep.run(now.plusSeconds(120));
        sweep.run(now.plusSeconds(240));
        assertThat(world.payouts()).as("once a day").hasSize(1);
        assertThat(world.payouts().get(0).status()).isEqualTo("held");
        world.checkInvariants(List.of());

        World weekly = new World(TRIES.incrementAndGet());
        weekly.earn(3_000);
        payees.save(Fields.parse(("""
            {"tenant":"girlfanz","creator":"%s","name":"Creator","country":"US","currency":"USD","rail":"ach",
             "rail_details":{"routing_number":"231380104","account_number":"1"},"schedule":"weekly"}""")
            .formatted(weekly.creator).getBytes(StandardCharsets.UTF_8), Payees.FIELDS), tenant -> true);
        payees.setCompliance(weekly.payeeId, Fields.parse("{\"kyc\":\"pending\"}".getBytes(StandardCharsets.UTF_8),
            Payees.COMPLIANCE_FIELDS));
        sweep.run(now.plusSeconds(400));
        assertThat(weekly.payouts()).as("the gate fails: skipped").isEmpty();
        payees.setCompliance(weekly.payeeId, Fields.parse("{\"kyc\":\"verified\"}".getBytes(StandardCharsets.UTF_8),
            Payees.COMPLIANCE_FIELDS));
        sweep.run(now.plusSeconds(500));
        sweep.run(now.plusSeconds(600));
        assertThat(weekly.payouts()).as("once this week").hasSize(1);
        assertThat(sweep.weeklyPeriod(now)).isEqualTo("2026-W50");
        assertThat(sweep.weeklyPeriod(Instant.parse("2026-12-07T08:59:00Z"))).as("before Monday 09:00").isEqualTo("2026-W49");
    }

    @net.jqwik.api.Example
    void aNewPayeesPayoutsWaitOutTheHoldPeriodBeforeABatchTakesThem() {
        World world = new World(TRIES.incrementAndGet(), "{\"new_payee_hold_days\":7}");
        world.earn(5_000);
        world.request("4000");
        byte[] batch = ("{\"rail\":\"ach\",\"merchant_account_id\":\"" + world.rail.id() + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            batches.create(Fields.parse(batch, PayoutBatches.FIELDS), tenant -> true);
            throw new AssertionError("a payout of a payee made today was batched despite a 7-day hold");
        } catch (Problem refused) {
            assertThat(refused.type()).isEqualTo("batch-empty");
        }
        assertThat(world.payouts()).extracting(Payouts.Payout::status).containsExactly("held");
    }

    @net.jqwik.api.Example
    void aScheduledPayoutOverTheThresholdWaitsForAnyKeysApprovalAndAnOperatorsHoldKeepsItOutOfBatches() {
        World world = new World(TRIES.incrementAndGet(), "{\"approval_threshold\":\"3000\"}");
        world.earn(5_000);
        payees.save(Fields.parse(("""
            {"tenant":"girlfanz","creator":"%s","name":"Creator","country":"US","currency":"USD","rail":"ach",
             "rail_details":{"routing_number":"231380104","account_number":"1"},"schedule":"threshold","threshold":"4000"}""")
            .formatted(world.creator).getBytes(StandardCharsets.UTF_8), Payees.FIELDS), tenant -> true);
        // a sweep of its own: the shared one remembers when it last ran the schedules
        new PayoutSweep(dsl, payouts, payees, accounts, "MON 09:00", Duration.ofSeconds(30)).run(Instant.parse("2027-01-05T10:00:00Z"));
        assertThat(world.payouts()).hasSize(1);
        Payouts.Payout scheduled = world.payouts().get(0);
        assertThat(scheduled.requestedBy()).isEqualTo(Payouts.BY_SCHEDULE);
        assertThat(scheduled.approval().status()).isEqualTo("pending");
        assertThat(batchEmpty(world)).as("awaiting approval").isTrue();

        Payouts.Payout approved = payouts.approve(scheduled.id(), "key_anyone", null);
        assertThat(approved.approval()).isEqualTo(new Payouts.Approval("approved", "key_anyone", approved.approval().at(),
            null));
        Payouts.Payout onHold = payouts.putOnHold(scheduled.id(), "key_ops", fields("{\"reason\":\"look again\"}",
            Payouts.HOLD_FIELDS));
        assertThat(onHold.operatorHold().by()).isEqualTo("key_ops");
        assertThat(batchEmpty(world)).as("on hold").isTrue();
        assertThat(payouts.release(scheduled.id(), "key_ops").operatorHold()).isNull();
        assertThat(batchEmpty(world)).isFalse();
        assertThat(payouts.get(scheduled.id()).orElseThrow().status()).isEqualTo("batched");
        world.checkInvariants(List.of());
    }

    /**
     * An operator's hold racing a batch: exactly one wins, every round — the batch takes the payout (and the hold is
     * refused, 409) or the hold is set (and the batch finds nothing to take).
     */
    @net.jqwik.api.Example
    void aBatchAndAnOperatorsHoldNeverBothWin() throws Exception {
        World world = new World(TRIES.incrementAndGet());
        world.earn(100_000);
        race(world, id -> {
            try {
                batches.create(fields("{\"rail\":\"ach\",\"merchant_account_id\":\"" + world.rail.id() + "\"}",
                    PayoutBatches.FIELDS), tenant -> true);
                return true;
            } catch (Problem refused) {
                assertThat(refused.type()).isEqualTo("batch-empty");
                return false;
            }
        }, "batched");
    }

    /**
     * An operator's hold racing the hand-over to an API rail (the rail runner's move to submitted): exactly one wins,
     * every round.
     */
    @net.jqwik.api.Example
    void theHandOverToAnApiRailAndAnOperatorsHoldNeverBothWin() throws Exception {
        World world = new World(TRIES.incrementAndGet());
        MerchantAccounts.Account paxum = accounts.create(fields("""
            {"tenant":"girlfanz","processor":"paxum","name":"Paxum %s","currencies":["USD"],
             "settings":{"from_email":"payouts@girlfanz.test","account_id":"590900"},
             "secrets":{"shared_secret":"s","api_key":"k","api_secret":"a"}}""".formatted(world.creator),
            MerchantAccounts.FIELDS), tenant -> true, null, null).account();
        try {
            payees.save(fields("""
                {"tenant":"girlfanz","creator":"%s","name":"Creator","country":"US","currency":"USD","rail":"paxum",
                 "rail_details":{"email":"creator@example.com"}}""".formatted(world.creator), Payees.FIELDS), tenant -> true);
            world.earn(100_000);
            race(world, id -> {
                try {
                    payouts.move(id, "submitted", "handed to the paxum rail", null, java.util.Map.of());
                    return true;
                } catch (Problem refused) {
                    assertThat(refused.getMessage()).contains("an operator holds it");
                    return false;
                }
            }, "submitted");
            assertThat(world.payouts()).extracting(Payouts.Payout::merchantAccountId).containsOnly(paxum.id());
        } finally {
            accounts.patch(paxum.id(), fields("{\"status\":\"disabled\"}", MerchantAccounts.FIELDS));
        }
    }

    /**
     * Rounds of: a new payout, then an operator's hold and {@code move} (true: it took the payout to {@code moved})
     * started at once on two threads. Exactly one must win: the payout is either held by the operator, or moved and
     * free of any hold (the hold refused with a 409).
     */
    private static void race(World world, java.util.function.Predicate<UUID> move, String moved) throws Exception {
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 25; round++) {
                world.request("1000");
                UUID id = world.made.get(world.made.size() - 1);
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.Future<Boolean> held = two.submit(() -> {
                    start.await();
                    try {
                        payouts.putOnHold(id, "key_ops", fields("{\"reason\":\"race\"}", Payouts.HOLD_FIELDS));
                        return true;
                    } catch (Problem refused) {
                        assertThat(refused.status()).isEqualTo(409);
                        return false;
                    }
                });
                java.util.concurrent.Future<Boolean> taken = two.submit(() -> {
                    start.await();
                    return move.test(id);
                });
                start.countDown();
                boolean holdWon = held.get(60, java.util.concurrent.TimeUnit.SECONDS);
                boolean moveWon = taken.get(60, java.util.concurrent.TimeUnit.SECONDS);
                Payouts.Payout payout = payouts.get(id).orElseThrow();
                assertThat(holdWon).as("round %d: exactly one of the hold and the move wins (%s)", round, payout)
                    .isNotEqualTo(moveWon);
                assertThat(payout.status()).as("round %d", round).isEqualTo(holdWon ? "held" : moved);
                assertThat(payout.operatorHold() != null).as("round %d", round).isEqualTo(holdWon);
                if (holdWon) {
                    payouts.cancel(id);
                }
            }
        } finally {
            two.shutdownNow();
        }
    }

    private static boolean batchEmpty(World world) {
        try {
            batches.create(fields("{\"rail\":\"ach\",\"merchant_account_id\":\"" + world.rail.id() + "\"}",
                PayoutBatches.FIELDS), tenant -> true);
            return false;
        } catch (Problem refused) {
            assertThat(refused.type()).isEqualTo("batch-empty");
            return true;
        }
    }

    private static Fields fields(String json, java.util.Set<String> known) {
        return Fields.parse(json.getBytes(StandardCharsets.UTF_8), known);
    }

    /** The process dying during a ledger command. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    /** The real ledger port, whose next transfer command can be made to "crash" before or after it is applied. */
    static final class CrashingLedger implements LedgerPort {
        final EngineLedgerPort delegate;
        volatile Boolean crashNext;

        CrashingLedger(EngineLedgerPort delegate) {
            this.delegate = delegate;
        }

        void crashNext(boolean afterApplying) {
            crashNext = afterApplying;
        }

        @Override
        public List<CreateAccountStatus> createAccounts(int tenant, List<PlannedAccount> planned) {
            return delegate.createAccounts(tenant, planned);
        }

        @Override
        public List<CreateTransferStatus> createTransfers(List<Transfer> transfers) {
            Boolean crash = crashNext;
            crashNext = null;
            if (Boolean.FALSE.equals(crash)) {
                throw new SimulatedCrash("crashed before the ledger applied " + transfers.size() + " transfers");
            }
            List<CreateTransferStatus> statuses = delegate.createTransfers(transfers);
            if (Boolean.TRUE.equals(crash)) {
                throw new SimulatedCrash("crashed after the ledger applied " + statuses);
            }
            return statuses;
        }

        @Override
        public List<Optional<Transfer>> lookupTransfers(List<Uint128> ids) {
            return delegate.lookupTransfers(ids);
        }

        @Override
        public Reading read(List<Uint128> accountIds, Uint128 holdAccountId, int holdCode, long holdWindowNanos) {
            return delegate.read(accountIds, holdAccountId, holdCode, holdWindowNanos);
        }
    }
}
