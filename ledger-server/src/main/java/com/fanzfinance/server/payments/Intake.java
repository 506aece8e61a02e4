package com.fanzfinance.server.payments;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.gateway.Acknowledgement;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.SourceAddresses;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.schema.tables.records.PaymentEventsRecord;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

import static com.fanzfinance.server.payments.schema.Tables.CHECKOUTS;
import static com.fanzfinance.server.payments.schema.Tables.PAYMENT_EVENTS;

/**
 * Webhook intake: a processor's notification becomes a stored payment event and, when it moves money, one
 * linked chain of ledger transfers. The order is fixed: authenticate, normalise, decide (dedupe, parent,
 * amounts, shares), write the event with its posting plan, post the plan, mark it posted. The first write
 * happens before the processor gets its answer, so nothing acknowledged is ever lost; every transfer id derives
 * from the event's identity, so a retry after any crash posts nothing twice.
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int REPLANS_MAX = 3;

    private final PaymentEvents events;
    private volatile java.util.function.Consumer<UUID> chargebackPosted = account -> { };
    private final MerchantAccounts accounts;
    private final ProcessorDrivers drivers;
    private final Currencies currencies;
    private final RevenueShares shares;
    private final Posting posting;
    private final EventSink sink;
    private final Duration parkedFor;

    public Intake(PaymentEvents events, MerchantAccounts accounts, ProcessorDrivers drivers, Currencies currencies,
                  RevenueShares shares, Posting posting, EventSink sink, Duration parkedFor) {
        this.events = events;
        this.accounts = accounts;
        this.drivers = drivers;
        this.currencies = currencies;
        this.shares = shares;
        this.posting = posting;
        this.sink = sink;
        this.parkedFor = parkedFor;
    }

    /** What to answer the processor: the acknowledgement, or a problem; always with the event id. */
    public record Answer(UUID eventId, Acknowledgement acknowledgement, Problem problem) {
    }

    /** The merchant account a hook URL names, when it exists and is of that processor (else 404, nothing stored). */
    public Optional<MerchantAccounts.Account> account(String processor, String accountId) {
        UUID id;
        try {
            id = UUID.fromString(accountId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return accounts.get(id).filter(account -> account.processor().equals(processor)
            && drivers.driver(processor).isPresent());
    }

    /** Takes one notification for {@code account} (from {@link #account}). */
    public Answer receive(MerchantAccounts.Account account, Notification notification) {
        ProcessorDriver driver = drivers.driver(account.processor()).orElseThrow();
        PaymentEventsRecord row = newRow(account, notification);
        Problem refusal = authenticate(driver, account, notification, row);
        if (refusal != null) {
            row.setStatus("rejected");
            row.setHistory(PaymentEvents.appendHistory(row.getHistory(), "rejected", row.getStatusReason(), Instant.now()));
            events.dsl().transaction(configuration -> {
                DSLContext tx = DSL.using(configuration);
                tx.executeInsert(row);
                announce(tx, row, "payment_event.rejected");
            });
            return new Answer(row.getId(), null, refusal);
        }
        try {
            decideAndStore(row, account, driver, notification, true, 1);
        } catch (Posting.UnavailableException e) {
            // The ledger could not be read to plan: keep the notification, decide it when the ledger is back.
            resetDecision(row);
            row.setDedupeClaimed(false);
            row.setChargeClaimed(false);
            row.setStatus("received");
            row.setNextAttemptAt(PaymentEvents.utc(Instant.now().plusSeconds(5)));
            events.dsl().executeInsert(row);
            LOG.warn("payment event {} waits for the ledger ({})", row.getId(), e.getMessage());
            return new Answer(row.getId(), null, unavailableProblem());
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            // A defect, not the notification's fault: keep it as failed, to be replayed once fixed.
            LOG.error("payment event {} could not be decided; stored as failed (internal-error)", row.getId(), e);
            resetDecision(row);
            row.setDedupeClaimed(false);
            row.setChargeClaimed(false);
            finish(row, "failed", "internal-error");
            events.dsl().executeInsert(row);
            return new Answer(row.getId(), driver.acknowledgement(account.driverView()), null);
        }
        boolean unavailable = "received".equals(row.getStatus()) && row.getPlan() != null && postIfPlanned(row);
        Acknowledgement ack = driver.acknowledgement(account.driverView());
        if (unavailable) {
            return new Answer(row.getId(), null, unavailableProblem());
        }
        return new Answer(row.getId(), ack, null);
    }

    private static Problem unavailableProblem() {
        return new Problem(503, "ledger-unavailable", "Service unavailable",
            "the ledger cannot take the posting now; the event is stored and will be posted when it can", null, 5);
    }

    /** Decides a stored event again from its raw notification, with today's secrets and settings. */
    public PaymentEventsRecord replay(UUID id) {
        PaymentEventsRecord row = events.get(id).orElseThrow(() -> Problem.notFound("no payment event " + id));
        if (!PaymentEvents.REPLAYABLE.contains(row.getStatus())) {
            throw new Problem(409, "payment-event-final", "Conflict", "payment event " + id + " is " + row.getStatus()
                + "; only rejected, failed, parked and ignored events are replayed", null);
        }
        MerchantAccounts.Account account = accounts.get(row.getMerchantAccountId()).orElseThrow();
        ProcessorDriver driver = drivers.driver(account.processor()).orElseThrow();
        Notification notification = PaymentEvents.notification(row);
        String before = row.getStatus();
        int version = row.getPlan() == null ? 1 : planVersion(row.getPlan()) + 1;
        resetDecision(row);
        Problem refusal = authenticate(driver, account, notification, row);
        if (refusal != null) {
            row.setStatus("rejected");
            row.setHistory(PaymentEvents.appendHistory(row.getHistory(), "rejected", "replay: " + row.getStatusReason(),
                Instant.now()));
            events.dsl().transaction(configuration -> {
                DSLContext tx = DSL.using(configuration);
                update(tx, row, before);
            });
            return events.get(id).orElseThrow();
        }
        decideAndStore(row, account, driver, notification, false, version);
        postIfPlanned(id);
        return events.get(id).orElseThrow();
    }

    // ---- authentication ---------------------------------------------------------------------------------

    private Problem authenticate(ProcessorDriver driver, MerchantAccounts.Account account, Notification notification,
                                 PaymentEventsRecord row) {
        List<String> ranges = account.ipAllowList() != null ? account.ipAllowList() : driver.defaultSourceAddresses();
        if (!ranges.isEmpty() && !SourceAddresses.allowed(notification.peer(), ranges)) {
            row.setStatusReason("source-not-allowed");
            return new Problem(403, "webhook-source-not-allowed", "Forbidden", "notifications for this merchant account"
                + " are not accepted from " + notification.peer(), null);
        }
        Verification verification;
        try {
            verification = driver.verify(notification, account.driverView());
        } catch (RuntimeException e) {
            LOG.warn("{} driver failed verifying event {}: {}", driver.name(), row.getId(), e.getClass().getSimpleName());
            verification = Verification.unauthenticated("unverifiable");
        }
        if (verification instanceof Verification.Unauthenticated unauthenticated) {
            row.setStatusReason(bounded(unauthenticated.reason(), REASON_MAX));
            return new Problem(401, "webhook-unauthenticated", "Unauthorized", "the notification is not authentic for"
                + " this merchant account (" + unauthenticated.reason() + ")", null);
        }
        row.setVerifiedWith(((Verification.Verified) verification).with().wireName());
        return null;
    }

    // ---- decision -------------------------------------------------------------------------------------

    private PaymentEventsRecord newRow(MerchantAccounts.Account account, Notification notification) {
        PaymentEventsRecord row = events.dsl().newRecord(PAYMENT_EVENTS);
        row.setId(UUID.randomUUID());
        row.setMerchantAccountId(account.id());
        row.setProcessor(account.processor());
        row.setTenant(account.tenant());
        row.setStatus("received");
        row.setRawMethod(notification.method());
        row.setRawPath(notification.path());
        row.setRawQuery(notification.rawQuery());
        row.setRawHeaders(PaymentEvents.writeHeaders(notification.headers()));
        row.setRawBody(notification.body());
        row.setPeer(notification.peer());
        row.setReceivedAt(PaymentEvents.utc(notification.receivedAt()));
        row.setHistory(PaymentEvents.appendHistory("[]", "received", null, notification.receivedAt()));
        row.setWarnings("[]");
        row.setTransferIds("[]");
        row.setDedupeClaimed(false);
        row.setChargeClaimed(false);
        row.setAttempts(0);
        row.setUpdated(PaymentEvents.utc(Instant.now()));
        return row;
    }

    private static void resetDecision(PaymentEventsRecord row) {
        row.setStatusReason(null);
        row.setDuplicateOf(null);
        row.setParentEventId(null);
        row.setPlan(null);
        row.setWarnings("[]");
    }

    /** Decides what the event is and writes it (a new row, or the replayed one) with its plan when it posts. */
    private void decideAndStore(PaymentEventsRecord row, MerchantAccounts.Account account, ProcessorDriver driver,
                                Notification notification, boolean isNew, int version) {
        String previousStatus = row.getStatus();
        for (int attempt = 0; ; attempt++) {
            Normalised normalised;
            try {
                normalised = driver.normalise(notification, account.driverView());
            } catch (RuntimeException e) {
                LOG.warn("{} driver failed normalising event {}: {}", driver.name(), row.getId(), e.getClass().getSimpleName());
                normalised = new Normalised.Malformed("the driver could not read it");
            }
            decide(row, account, normalised, version);
            try {
                boolean stored = isNew ? insert(row) : updateDecided(row, previousStatus);
                if (!stored) {
                    LOG.info("payment event {} was decided concurrently", row.getId());
                }
                return;
            } catch (DataAccessException e) {
                if (!UNIQUE_VIOLATION.equals(e.sqlState()) || attempt >= 2) {
                    throw e;
                }
                // Another event claimed the same dedupe key or charge meanwhile: decide again, seeing it.
                resetDecision(row);
                row.setDedupeClaimed(false);
                row.setChargeClaimed(false);
            }
        }
    }

    private boolean insert(PaymentEventsRecord row) {
        events.dsl().transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            recheckReversal(tx, row);
            tx.executeInsert(row);
            announceDecision(tx, row);
        });
        return true;
    }

    /**
     * A reversal about to be written with its plan is checked again under a lock on its parent, so that two
     * reversals of one sale arriving together cannot both pass the over-reversal rule.
     */
    private void recheckReversal(DSLContext tx, PaymentEventsRecord row) {
        if (row.getPlan() == null || row.getParentEventId() == null || row.getKind() == null) {
            return;
        }
        PaymentKind kind = PaymentKind.fromWireName(row.getKind()).orElse(PaymentKind.OTHER);
        if (!kind.isReversal() && kind != PaymentKind.CHARGEBACK_REVERSAL) {
            return;
        }
        PaymentEventsRecord parent = tx.selectFrom(PAYMENT_EVENTS).where(PAYMENT_EVENTS.ID.eq(row.getParentEventId()))
            .forUpdate().fetchOne();
        long over;
        if (kind == PaymentKind.CHARGEBACK_REVERSAL) {
            long chargedBack = sum(tx, parent.getId(), row.getId(), List.of("chargeback"))
                - sum(tx, parent.getId(), row.getId(), List.of("chargeback_reversal"));
            over = row.getGross() - chargedBack;
        } else {
            long reversed = sum(tx, parent.getId(), row.getId(), List.of("refund", "chargeback", "void"))
                - sum(tx, parent.getId(), row.getId(), List.of("chargeback_reversal"));
            over = kind == PaymentKind.VOID && reversed != 0 ? 1 : reversed + row.getGross() - parent.getGross();
        }
        if (over > 0) {
            finish(row, "failed", "over-reversal");
        }
    }

    private boolean updateDecided(PaymentEventsRecord row, String previousStatus) {
        return events.dsl().transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            recheckReversal(tx, row);
            boolean updated = update(tx, row, previousStatus);
            if (updated) {
                announceDecision(tx, row);
            }
            return updated;
        });
    }

    private static boolean update(DSLContext tx, PaymentEventsRecord row, String previousStatus) {
        row.setUpdated(PaymentEvents.utc(Instant.now()));
        row.changed(PAYMENT_EVENTS.ID, false);
        row.changed(PAYMENT_EVENTS.SEQ, false);
        return tx.update(PAYMENT_EVENTS).set(row).where(PAYMENT_EVENTS.ID.eq(row.getId()),
            PAYMENT_EVENTS.STATUS.eq(previousStatus)).execute() == 1;
    }

    private void announceDecision(DSLContext tx, PaymentEventsRecord row) {
        switch (row.getStatus()) {
            case "parked" -> announce(tx, row, "payment_event.parked");
            case "failed" -> announce(tx, row, "payment_event.failed");
            case "rejected" -> announce(tx, row, "payment_event.rejected");
            case "recorded" -> {
                if (PaymentKind.FAILURE.wireName().equals(row.getKind()) && row.getCheckoutId() != null) {
                    Checkouts.markDeclined(tx, row.getCheckoutId(), row.getId(), sink);
                }
            }
            default -> { }
        }
    }

    private void announce(DSLContext tx, PaymentEventsRecord row, String type) {
        sink.append(tx, row.getTenant(), type, row.getId().toString(),
            MerchantAccounts.write(PaymentEvents.toJson(row, false)));
    }

    /** Fills the row's decision: status, reason, the normalised fields and, for money, the plan. */
    private void decide(PaymentEventsRecord row, MerchantAccounts.Account account, Normalised normalised, int version) {
        if (normalised instanceof Normalised.Malformed malformed) {
            finish(row, "failed", "malformed: " + malformed.reason());
            return;
        }
        if (normalised instanceof Normalised.Ignored ignored) {
            row.setProcessorEventType(bounded(ignored.processorEventType(), 100));
            row.setDedupeKey(ignored.dedupeKey() == null || ignored.dedupeKey().length() > 400 ? fallbackDedupeKey(row)
                : ignored.dedupeKey());
            finish(row, "ignored", ignored.reason());
            return;
        }
        PaymentNotice notice = ((Normalised.Notice) normalised).notice();
        String tooLong = tooLong(notice);
        if (tooLong != null) {
            finish(row, "failed", "malformed: " + tooLong);
            return;
        }
        row.setKind(notice.kind().wireName());
        row.setProcessorEventType(notice.processorEventType());
        row.setProcessorTransactionId(notice.transactionId());
        row.setProcessorSubscriptionId(notice.subscriptionId());
        row.setDedupeKey(notice.dedupeKey());
        row.setFan(notice.fan());
        row.setOccurredAt(notice.occurredAt() == null ? null : PaymentEvents.utc(notice.occurredAt()));
        row.setSettlementAmount(notice.settlementAmount() == null ? null : notice.settlementAmount().toPlainString());
        row.setSettlementCurrency(notice.settlementCurrency());
        row.setCardNetwork(notice.cardNetwork());
        row.setConversionRate(null);
        List<String> warnings = new ArrayList<>(notice.warnings());

        Optional<UUID> earlier = claimer(row.getMerchantAccountId(), row.getDedupeKey(), row.getId());
        if (earlier.isPresent()) {
            row.setDuplicateOf(earlier.get());
            row.setWarnings(MerchantAccounts.write(warnings));
            finish(row, "duplicate", null);
            return;
        }
        row.setDedupeClaimed(true);
        if (!notice.kind().movesMoney()) {
            contextFromParentIfAny(row, notice);
            row.setWarnings(MerchantAccounts.write(warnings));
            finish(row, "recorded", null);
            return;
        }
        if (notice.kind().isCharge()) {
            decideCharge(row, account, notice, warnings, version);
        } else {
            decideReversal(row, account, notice, warnings, version);
        }
        row.setWarnings(MerchantAccounts.write(warnings));
    }

    private void decideCharge(PaymentEventsRecord row, MerchantAccounts.Account account, PaymentNotice notice,
                              List<String> warnings, int version) {
        if (notice.transactionId() == null) {
            finish(row, "failed", "malformed: no transaction id");
            return;
        }
        Optional<UUID> charged = events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(row.getMerchantAccountId()),
                PAYMENT_EVENTS.PROCESSOR_TRANSACTION_ID.eq(notice.transactionId()), PAYMENT_EVENTS.CHARGE_CLAIMED.eq(DSL.inline(true)),
                PAYMENT_EVENTS.ID.ne(row.getId()))
            .fetchOptional(PAYMENT_EVENTS.ID);
        if (charged.isPresent()) {
            row.setDuplicateOf(charged.get());
            finish(row, "duplicate", "transaction-already-charged");
            return;
        }
        Checkouts.Checkout checkout = checkoutOf(row, notice);
        PaymentEventsRecord parent = checkout != null ? null : chargeParent(row, notice);
        if (checkout == null && parent == null) {
            if (notice.kind() == PaymentKind.SALE && notice.parentTransactionId() == null && notice.subscriptionId() == null
                || notice.kind() == PaymentKind.SALE && notice.checkoutId() != null) {
                finish(row, "failed", "checkout-not-found");
            } else {
                row.setChargeClaimed(true);
                finish(row, "parked", "parent-not-posted");
            }
            return;
        }
        if (checkout != null) {
            row.setCheckoutId(checkout.id());
            row.setCreator(checkout.creator());
            row.setFan(checkout.fan() != null ? checkout.fan() : row.getFan());
            row.setProduct(checkout.product());
            row.setReferrer(checkout.referrer());
        } else {
            row.setParentEventId(parent.getId());
            row.setCheckoutId(parent.getCheckoutId());
            row.setCreator(parent.getCreator());
            row.setFan(parent.getFan() != null ? parent.getFan() : row.getFan());
            row.setProduct(parent.getProduct());
            row.setReferrer(parent.getReferrer());
            if (row.getCardNetwork() == null) {
                row.setCardNetwork(parent.getCardNetwork());
            }
        }
        Long gross = gross(row, account, notice, checkout);
        if (gross == null) {
            return;
        }
        if (checkout != null && (gross != checkout.amount() || !checkout.currency().equals(row.getCurrency()))) {
            warnings.add("amount-differs-from-checkout");
        }
        RevenueShares.Effective effective = shares.effective(row.getTenant(), row.getCreator());
        row.setPlatformShareBp(effective.platformBp());
        row.setReferralBp(row.getReferrer() == null ? 0 : effective.referralBp());
        row.setReserveBp(effective.reserveBp());
        row.setReserveDays(effective.reserveDays());
        row.setChargeClaimed(true);
        plan(row, account, notice.kind(), gross, null, version);
    }

    private void decideReversal(PaymentEventsRecord row, MerchantAccounts.Account account, PaymentNotice notice,
                                List<String> warnings, int version) {
        PaymentEventsRecord parent = reversalParent(row, notice);
        if (parent == null) {
            finish(row, "parked", "parent-not-posted");
            return;
        }
        row.setParentEventId(parent.getId());
        row.setCheckoutId(parent.getCheckoutId());
        row.setCreator(parent.getCreator());
        row.setFan(parent.getFan() != null ? parent.getFan() : row.getFan());
        row.setProduct(parent.getProduct());
        row.setReferrer(parent.getReferrer());
        row.setPlatformShareBp(parent.getPlatformShareBp());
        row.setReferralBp(parent.getReferralBp());
        row.setReserveBp(parent.getReserveBp());
        row.setReserveDays(parent.getReserveDays());
        if (row.getCardNetwork() == null) {
            row.setCardNetwork(parent.getCardNetwork());
        }
        Long gross;
        if (notice.amount() == null) {
            gross = parent.getGross();
            row.setCurrency(parent.getCurrency());
        } else {
            gross = gross(row, account, notice, null);
            if (gross == null) {
                return;
            }
        }
        if (!parent.getCurrency().equals(row.getCurrency())) {
            finish(row, "failed", "currency-not-accepted");
            return;
        }
        if (gross <= 0) {
            finish(row, "failed", "amount-invalid");
            return;
        }
        long reversed = reversedSoFar(parent.getId(), row.getId());
        PaymentKind kind = notice.kind();
        if (kind == PaymentKind.VOID && (gross != parent.getGross() || reversed != 0)) {
            finish(row, "failed", "over-reversal");
            return;
        }
        if (kind == PaymentKind.CHARGEBACK_REVERSAL) {
            long chargedBack = chargedBackSoFar(parent.getId(), row.getId());
            if (gross > chargedBack) {
                finish(row, "failed", "over-reversal");
                return;
            }
        } else if (reversed + gross > parent.getGross()) {
            finish(row, "failed", "over-reversal");
            return;
        }
        plan(row, account, kind, gross, parent, version);
    }

    private void plan(PaymentEventsRecord row, MerchantAccounts.Account account, PaymentKind kind, long gross,
                      PaymentEventsRecord parent, int version) {
        MerchantAccounts.Fees fees = account.fees();
        int ledger = currencies.byCode(row.getCurrency()).orElseThrow().ledger();
        row.setGross(gross);
        long fee = switch (kind) {
            case SALE, REBILL -> com.fanzfinance.server.payments.posting.BasisPoints.rhe(gross, fees.percentBp()) + fees.fixed();
            case REFUND -> fees.refund();
            case CHARGEBACK -> fees.chargeback();
            default -> 0;
        };
        row.setFee(fee);
        Posting.Parent parentInput = parent == null ? null : new Posting.Parent(parent.getId(), parent.getGross(),
            parent.getPlatformShareBp(), parent.getReferralBp(), parent.getReferrer(), parent.getPlan());
        Posting.Input input = new Posting.Input(row.getId(), row.getMerchantAccountId(), row.getDedupeKey(), version,
            row.getTenant(), ledger, row.getProcessor(), row.getCreator(), row.getReferrer(), kind, gross, fees,
            row.getPlatformShareBp(), row.getReferralBp() == null ? 0 : row.getReferralBp(),
            row.getReserveBp() == null ? 0 : row.getReserveBp(), row.getReserveDays() == null ? 0 : row.getReserveDays(),
            parentInput);
        row.setPlan(posting.plan(input));
        row.setStatus("received");
        row.setStatusReason(null);
    }

    /** The event's gross in minor units, with its currency set; null (and the row failed) when unusable. */
    private Long gross(PaymentEventsRecord row, MerchantAccounts.Account account, PaymentNotice notice,
                       Checkouts.Checkout checkout) {
        String currency = notice.currency();
        BigDecimal amount = notice.amount();
        if (amount == null && checkout != null) {
            row.setCurrency(checkout.currency());
            currencies.byCode(checkout.currency()).ifPresent(registered ->
                recordConversionRate(row, notice, Currencies.toDecimal(checkout.amount(), registered)));
            return checkout.amount();
        }
        if (amount == null || currency == null) {
            finish(row, "failed", "amount-invalid");
            return null;
        }
        Optional<ChartOfAccounts.Currency> registered = currencies.byCode(currency);
        if (registered.isEmpty() || !account.accepts(currency)) {
            row.setCurrency(currency.length() <= 10 ? currency : null);
            finish(row, "failed", "currency-not-accepted");
            return null;
        }
        row.setCurrency(currency);
        Optional<Long> minor = Currencies.toMinor(amount, registered.get());
        if (minor.isEmpty() || minor.get() <= 0) {
            finish(row, "failed", "amount-invalid");
            return null;
        }
        recordConversionRate(row, notice, amount);
        return minor.get();
    }

    /**
     * For a payment settled in another asset than its price (a fan paying a USD price in BTC), the rate the
     * notification implies: settlement units per unit of the price, to 18 significant digits.
     */
    private static void recordConversionRate(PaymentEventsRecord row, PaymentNotice notice, BigDecimal price) {
        BigDecimal settled = notice.settlementAmount();
        if (settled == null || notice.settlementCurrency() == null || price.signum() <= 0
            || notice.settlementCurrency().equalsIgnoreCase(row.getCurrency())) {
            return;
        }
        BigDecimal rate = settled.divide(price, new java.math.MathContext(18, java.math.RoundingMode.HALF_EVEN));
        row.setConversionRate(rate.stripTrailingZeros().toPlainString());
    }

    static final int REASON_MAX = 200;

    /**
     * The first of the notice's texts longer than its column allows, named, or null: processors' ids are short,
     * and a longer one is refused whole rather than cut (two cut ids could collide).
     */
    private static String tooLong(PaymentNotice notice) {
        String[][] checks = {
            {"processor event type", notice.processorEventType(), "100"},
            {"transaction id", notice.transactionId(), "200"},
            {"subscription id", notice.subscriptionId(), "200"},
            {"parent transaction id", notice.parentTransactionId(), "200"},
            {"dedupe key", notice.dedupeKey(), "400"},
            {"fan", notice.fan(), "64"},
            {"currency", notice.currency(), "10"},
            {"settlement currency", notice.settlementCurrency(), "16"},
            {"settlement amount", notice.settlementAmount() == null ? null : notice.settlementAmount().toPlainString(), "64"}};
        for (String[] check : checks) {
            if (check[1] != null && check[1].length() > Integer.parseInt(check[2])) {
                return check[0] + " longer than " + check[2] + " characters";
            }
        }
        return null;
    }

    private static String bounded(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static void finish(PaymentEventsRecord row, String status, String reason) {
        row.setStatus(status);
        reason = bounded(reason, REASON_MAX);
        row.setStatusReason(reason);
        row.setPlan(null);
        row.setHistory(PaymentEvents.appendHistory(row.getHistory(), status, reason, Instant.now()));
    }

    private static String fallbackDedupeKey(PaymentEventsRecord row) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(row.getRawQuery().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.writeBytes(row.getRawBody());
        return "sha256:" + com.fanzfinance.gateway.support.Digests.sha256Hex(bytes.toByteArray());
    }

    private Optional<UUID> claimer(UUID accountId, String dedupeKey, UUID self) {
        return events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(accountId), PAYMENT_EVENTS.DEDUPE_KEY.eq(dedupeKey),
                PAYMENT_EVENTS.DEDUPE_CLAIMED.eq(DSL.inline(true)), PAYMENT_EVENTS.ID.ne(self))
            .fetchOptional(PAYMENT_EVENTS.ID);
    }

    private Checkouts.Checkout checkoutOf(PaymentEventsRecord row, PaymentNotice notice) {
        if (notice.checkoutId() == null) {
            // No pass-through: the checkout whose invoice (created by the server) is this transaction, if any.
            return notice.transactionId() == null ? null : events.dsl().selectFrom(CHECKOUTS)
                .where(CHECKOUTS.MERCHANT_ACCOUNT_ID.eq(row.getMerchantAccountId()),
                    CHECKOUTS.PROCESSOR_REFERENCE.eq(notice.transactionId()))
                .fetchOptional().map(Checkouts::toCheckout).orElse(null);
        }
        UUID id;
        try {
            id = UUID.fromString(notice.checkoutId().trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return events.dsl().selectFrom(CHECKOUTS).where(CHECKOUTS.ID.eq(id), CHECKOUTS.TENANT.eq(row.getTenant()))
            .fetchOptional().map(Checkouts::toCheckout).orElse(null);
    }

    /** A rebill's (or checkout-less sale's) parent: the posted charge of its parent transaction, else its subscription's latest. */
    private PaymentEventsRecord chargeParent(PaymentEventsRecord row, PaymentNotice notice) {
        if (notice.parentTransactionId() != null && !notice.parentTransactionId().equals(notice.transactionId())) {
            PaymentEventsRecord parent = postedCharge(row.getMerchantAccountId(), notice.parentTransactionId());
            if (parent != null) {
                return parent;
            }
        }
        return notice.subscriptionId() == null ? null : latestOfSubscription(row.getMerchantAccountId(), notice.subscriptionId());
    }

    private PaymentEventsRecord reversalParent(PaymentEventsRecord row, PaymentNotice notice) {
        String transaction = notice.parentTransactionId() != null ? notice.parentTransactionId() : notice.transactionId();
        PaymentEventsRecord parent = transaction == null ? null : postedCharge(row.getMerchantAccountId(), transaction);
        if (parent == null && notice.parentTransactionId() == null && notice.subscriptionId() != null) {
            parent = latestOfSubscription(row.getMerchantAccountId(), notice.subscriptionId());
        }
        return parent;
    }

    private void contextFromParentIfAny(PaymentEventsRecord row, PaymentNotice notice) {
        PaymentEventsRecord parent = null;
        if (notice.transactionId() != null) {
            parent = postedCharge(row.getMerchantAccountId(), notice.transactionId());
        }
        if (parent == null && notice.subscriptionId() != null) {
            parent = latestOfSubscription(row.getMerchantAccountId(), notice.subscriptionId());
        }
        if (parent == null) {
            Checkouts.Checkout checkout = checkoutOf(row, notice);
            if (checkout != null) {
                row.setCheckoutId(checkout.id());
                row.setCreator(checkout.creator());
                row.setProduct(checkout.product());
            }
            return;
        }
        row.setParentEventId(parent.getId());
        row.setCheckoutId(parent.getCheckoutId());
        row.setCreator(parent.getCreator());
        row.setFan(parent.getFan() != null ? parent.getFan() : row.getFan());
        row.setProduct(parent.getProduct());
    }

    private PaymentEventsRecord postedCharge(UUID accountId, String transactionId) {
        return events.dsl().selectFrom(PAYMENT_EVENTS).where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(accountId),
            PAYMENT_EVENTS.PROCESSOR_TRANSACTION_ID.eq(transactionId), PAYMENT_EVENTS.CHARGE_CLAIMED.eq(DSL.inline(true)),
            PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted"))).fetchOne();
    }

    private PaymentEventsRecord latestOfSubscription(UUID accountId, String subscriptionId) {
        return events.dsl().selectFrom(PAYMENT_EVENTS).where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(accountId),
            PAYMENT_EVENTS.PROCESSOR_SUBSCRIPTION_ID.eq(subscriptionId), PAYMENT_EVENTS.CHARGE_CLAIMED.eq(DSL.inline(true)),
            PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted"))).orderBy(PAYMENT_EVENTS.SEQ.desc()).limit(1).fetchOne();
    }

    /** Refunds, chargebacks and voids posted (or being posted) against {@code parent}, less chargeback reversals. */
    private long reversedSoFar(UUID parent, UUID self) {
        long out = sum(parent, self, List.of("refund", "chargeback", "void"));
        return out - sum(parent, self, List.of("chargeback_reversal"));
    }

    private long chargedBackSoFar(UUID parent, UUID self) {
        return sum(parent, self, List.of("chargeback")) - sum(parent, self, List.of("chargeback_reversal"));
    }

    private long sum(UUID parent, UUID self, List<String> kinds) {
        return sum(events.dsl(), parent, self, kinds);
    }

    private static long sum(DSLContext context, UUID parent, UUID self, List<String> kinds) {
        BigDecimal total = context.select(DSL.sum(PAYMENT_EVENTS.GROSS)).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.PARENT_EVENT_ID.eq(parent), PAYMENT_EVENTS.KIND.in(kinds), PAYMENT_EVENTS.ID.ne(self),
                PAYMENT_EVENTS.STATUS.eq(DSL.inline("posted")).or(PAYMENT_EVENTS.STATUS.eq(DSL.inline("received")).and(PAYMENT_EVENTS.PLAN.isNotNull())))
            .fetchOne(0, BigDecimal.class);
        return total == null ? 0 : total.longValueExact();
    }

    // ---- posting ------------------------------------------------------------------------------------------

    /**
     * Posts the event's stored plan if it has one and is still {@code received}; returns true when the ledger
     * was unavailable (the event stays {@code received} and is retried later).
     */
    boolean postIfPlanned(UUID id) {
        PaymentEventsRecord row = events.get(id).orElse(null);
        if (row == null || !"received".equals(row.getStatus()) || row.getPlan() == null) {
            return false;
        }
        return postIfPlanned(row);
    }

    /** As {@link #postIfPlanned(UUID)} for a row just written by this thread (no need to read it again). */
    private boolean postIfPlanned(PaymentEventsRecord row) {
        UUID id = row.getId();
        Posting.Outcome outcome;
        try {
            outcome = posting.post(row.getTenant(), row.getPlan());
        } catch (Posting.UnavailableException e) {
            int attempts = row.getAttempts() + 1;
            long backoffSeconds = Math.min(300, 1L << Math.min(attempts, 9));
            events.dsl().update(PAYMENT_EVENTS).set(PAYMENT_EVENTS.ATTEMPTS, attempts)
                .set(PAYMENT_EVENTS.NEXT_ATTEMPT_AT, PaymentEvents.utc(Instant.now().plusSeconds(backoffSeconds)))
                .where(PAYMENT_EVENTS.ID.eq(id), PAYMENT_EVENTS.STATUS.eq(DSL.inline("received"))).execute();
            LOG.warn("payment event {} waits for the ledger ({}); retry in {} s", id, e.getMessage(), backoffSeconds);
            return true;
        }
        if (outcome instanceof Posting.Outcome.Posted posted) {
            markPosted(row, posted.transferIds());
            applyParked(row);
        } else {
            Posting.Outcome.Refused refused = (Posting.Outcome.Refused) outcome;
            if (refused.balanceChanged() && planVersion(row.getPlan()) <= REPLANS_MAX) {
                replan(row);
                return postIfPlanned(id);
            }
            LOG.warn("the ledger refused payment event {}: {}", id, refused.detail());
            String status = row.getStatus();
            String refusedPlan = row.getPlan();
            finish(row, "failed", "ledger-refused");
            row.setPlan(refusedPlan);
            row.setDedupeClaimed(true);
            row.setChargeClaimed(false);
            events.dsl().transaction(configuration -> {
                DSLContext tx = DSL.using(configuration);
                if (update(tx, row, status)) {
                    announce(tx, row, "payment_event.failed");
                }
            });
        }
        return false;
    }

    /** Plans again with a new version (new transfer ids): the balances the shortfall rule read have changed. */
    private void replan(PaymentEventsRecord row) {
        MerchantAccounts.Account account = accounts.get(row.getMerchantAccountId()).orElseThrow();
        PaymentKind kind = PaymentKind.fromWireName(row.getKind()).orElseThrow();
        PaymentEventsRecord parent = row.getParentEventId() == null ? null : events.get(row.getParentEventId()).orElse(null);
        plan(row, account, kind, row.getGross(), kind.isCharge() ? null : parent, planVersion(row.getPlan()) + 1);
        events.dsl().update(PAYMENT_EVENTS).set(PAYMENT_EVENTS.PLAN, row.getPlan())
            .where(PAYMENT_EVENTS.ID.eq(row.getId()), PAYMENT_EVENTS.STATUS.eq(DSL.inline("received"))).execute();
    }

    private static int planVersion(String planJson) {
        return com.fanzfinance.server.payments.posting.PostingPlan.fromJson(planJson).identity().version();
    }

    private void markPosted(PaymentEventsRecord row, List<String> transferIds) {
        boolean posted = events.dsl().transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            row.setStatus("posted");
            row.setStatusReason(null);
            row.setTransferIds(MerchantAccounts.write(transferIds));
            row.setNextAttemptAt(null);
            row.setHistory(PaymentEvents.appendHistory(row.getHistory(), "posted", null, Instant.now()));
            if (!update(tx, row, "received")) {
                return false;
            }
            PaymentKind kind = PaymentKind.fromWireName(row.getKind()).orElseThrow();
            announce(tx, row, kind.isReversal() ? "payment_event.reversed" : "payment_event.posted");
            if (kind.isCharge() && row.getCheckoutId() != null) {
                Checkouts.markPaid(tx, row.getCheckoutId(), row.getId(), sink);
            }
            return true;
        });
        if (posted && PaymentKind.CHARGEBACK.wireName().equals(row.getKind())) {
            try {
                chargebackPosted.accept(row.getMerchantAccountId());
            } catch (RuntimeException e) {
                LOG.warn("chargeback check of merchant account {} failed (the hourly pass retries): {}",
                    row.getMerchantAccountId(), e.toString());
            }
        }
    }

    /** Called with the merchant account after each chargeback is posted (the chargeback monitor). */
    void onChargebackPosted(java.util.function.Consumer<UUID> action) {
        this.chargebackPosted = action;
    }

    /** Parked events waiting for this charge: decided again, in arrival order. */
    private void applyParked(PaymentEventsRecord charge) {
        PaymentKind kind = PaymentKind.fromWireName(charge.getKind()).orElse(PaymentKind.OTHER);
        if (!kind.isCharge()) {
            return;
        }
        var waiting = events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.MERCHANT_ACCOUNT_ID.eq(charge.getMerchantAccountId()), PAYMENT_EVENTS.STATUS.eq(DSL.inline("parked")))
            .orderBy(PAYMENT_EVENTS.SEQ.asc()).limit(1000).fetch(PAYMENT_EVENTS.ID);
        for (UUID id : waiting) {
            redecideParked(id);
        }
    }

    private void redecideParked(UUID id) {
        redecide(id, "parked");
    }

    /** Decides a waiting event ({@code parked}, or {@code received} before it could be planned) again. */
    private void redecide(UUID id, String waiting) {
        PaymentEventsRecord row = events.get(id).orElse(null);
        if (row == null || !waiting.equals(row.getStatus()) || row.getPlan() != null) {
            return;
        }
        MerchantAccounts.Account account = accounts.get(row.getMerchantAccountId()).orElseThrow();
        ProcessorDriver driver = drivers.driver(account.processor()).orElse(null);
        if (driver == null) {
            return;
        }
        Notification notification = PaymentEvents.notification(row);
        resetDecision(row);
        row.setChargeClaimed(false);
        row.setDedupeClaimed(false);
        decideAndStoreWaiting(row, account, driver, notification, waiting);
        postIfPlanned(id);
    }

    private void decideAndStoreWaiting(PaymentEventsRecord row, MerchantAccounts.Account account, ProcessorDriver driver,
                                       Notification notification, String waiting) {
        Normalised normalised;
        try {
            normalised = driver.normalise(notification, account.driverView());
        } catch (RuntimeException e) {
            normalised = new Normalised.Malformed("the driver could not read it");
        }
        decide(row, account, normalised, 1);
        if (waiting.equals(row.getStatus()) && row.getPlan() == null) {
            return;
        }
        try {
            updateDecided(row, waiting);
        } catch (DataAccessException e) {
            if (!UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw e;
            }
            LOG.info("{} event {} lost a claim race; it is decided on the next sweep", waiting, row.getId());
        }
    }

    // ---- background ----------------------------------------------------------------------------------------

    /**
     * One sweep: posts events left {@code received} with a plan (after a crash, or while the ledger was away)
     * once their retry time has come, applies parked events whose parent has posted, and fails parked events
     * older than the parking period. Returns how many events it moved.
     */
    public int sweep(Instant now) {
        int moved = 0;
        List<UUID> due = events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.STATUS.eq(DSL.inline("received")), PAYMENT_EVENTS.PLAN.isNotNull(),
                PAYMENT_EVENTS.NEXT_ATTEMPT_AT.le(PaymentEvents.utc(now))
                    .or(PAYMENT_EVENTS.NEXT_ATTEMPT_AT.isNull().and(PAYMENT_EVENTS.UPDATED.le(PaymentEvents.utc(now.minusSeconds(5))))))
            .orderBy(PAYMENT_EVENTS.SEQ.asc()).limit(500).fetch(PAYMENT_EVENTS.ID);
        for (UUID id : due) {
            if (!postIfPlanned(id)) {
                moved++;
            } else {
                break;
            }
        }
        List<UUID> undecided = events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.STATUS.eq(DSL.inline("received")), PAYMENT_EVENTS.PLAN.isNull(),
                PAYMENT_EVENTS.NEXT_ATTEMPT_AT.le(PaymentEvents.utc(now)))
            .orderBy(PAYMENT_EVENTS.SEQ.asc()).limit(500).fetch(PAYMENT_EVENTS.ID);
        for (UUID id : undecided) {
            redecide(id, "received");
            moved++;
        }
        List<UUID> parked = events.dsl().select(PAYMENT_EVENTS.ID).from(PAYMENT_EVENTS)
            .where(PAYMENT_EVENTS.STATUS.eq(DSL.inline("parked"))).orderBy(PAYMENT_EVENTS.SEQ.asc()).limit(500).fetch(PAYMENT_EVENTS.ID);
        for (UUID id : parked) {
            PaymentEventsRecord row = events.get(id).orElse(null);
            if (row == null) {
                continue;
            }
            if (row.getReceivedAt().toInstant().plus(parkedFor).isBefore(now)) {
                finish(row, "failed", "parent-not-found");
                row.setChargeClaimed(false);
                events.dsl().transaction(configuration -> {
                    DSLContext tx = DSL.using(configuration);
                    if (update(tx, row, "parked")) {
                        announce(tx, row, "payment_event.failed");
                    }
                });
                moved++;
            } else {
                redecideParked(id);
            }
        }
        return moved;
    }
}
