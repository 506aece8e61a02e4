package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.FEED_CURSOR;
import static com.fanzfinance.platform.content.schema.Tables.PURCHASES;
import static com.fanzfinance.platform.content.schema.Tables.PURCHASE_EVENTS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.common.Uuids;
import com.fanzfinance.platform.content.schema.tables.records.PurchasesRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Follows the ledger's events feed ({@code GET /v1/events}, long-polled) and turns payments into
 * entitlements: a posted sale or rebill of one of our purchases' checkouts pays the purchase and grants what
 * it buys; a posted chargeback, void or full refund takes it back, while a refund of less than the charge
 * leaves it (status {@code partially_refunded}; refunds of one charge that add up to it revoke); a posted
 * chargeback reversal (the merchant won the dispute) gives back what the chargebacks took once nothing charged
 * back is outstanding, except what a charge refunded in full or voided meanwhile gave; an expired checkout expires its pending purchase. Each page is applied in one
 * transaction together with the feed position it leads to, so a crash never loses or applies an event twice;
 * each payment event is also recorded once per purchase, so a replayed page changes nothing. Events of
 * checkouts that are not ours are skipped. A failing poll (ledger or database down, or a page that cannot be
 * applied) is retried with back-off and logged at the first and every tenth failure in a row; the gauges
 * {@code fanz_content_payment_events_last_success_seconds} (when a poll last succeeded, epoch seconds; 0 before
 * the first) and {@code fanz_content_payment_events_consecutive_failures} show a feed that is stuck.
 * {@link #close} stops the thread.
 */
final class PaymentEventsFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentEventsFollower.class);
    static final String CURSOR_NAME = "ledger-events";
    static final List<String> TYPES = List.of("payment_event.posted", "payment_event.reversed", "checkout.expired");
    private static final int PAGE_SIZE = 100;
    private static final long BACKOFF_MIN_MILLIS = 500;
    private static final long BACKOFF_MAX_MILLIS = 30_000;
    private static final int LOG_EVERY_FAILURES = 10;

    private final ServiceDatabase db;
    private final PaymentsApi payments;
    private final int waitSeconds;
    private final Clock clock;
    private final Counter applied;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;

    PaymentEventsFollower(ServiceDatabase db, PaymentsApi payments, int waitSeconds, MeterRegistry metrics, Clock clock) {
        this.db = db;
        this.payments = payments;
        this.waitSeconds = waitSeconds;
        this.clock = clock;
        this.applied = Counter.builder("fanz.content.payment.events.applied")
            .description("ledger payment events applied to purchases").register(metrics);
        Gauge.builder("fanz.content.payment.events.last.success", lastSuccess, AtomicLong::get).baseUnit("seconds")
            .description("when the ledger's events feed was last polled and applied successfully (epoch seconds)")
            .register(metrics);
        Gauge.builder("fanz.content.payment.events.consecutive.failures", failures, AtomicInteger::get)
            .description("failed polls of the ledger's events feed since the last success").register(metrics);
        this.thread = new Thread(this::run, "content-ledger-events");
        this.thread.setDaemon(true);
    }

    PaymentEventsFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoff = BACKOFF_MIN_MILLIS;
        while (stopping.getCount() > 0) {
            try {
                String after = storedCursor();
                PaymentsApi.EventsPage page = payments.events(after, TYPES, PAGE_SIZE, waitSeconds);
                if (stopping.getCount() == 0) {
                    return;
                }
                if (!page.events().isEmpty() || !Objects.equals(page.nextAfter(), after)) {
                    apply(after, page);
                }
                int failed = failures.getAndSet(0);
                if (failed > 0) {
                    LOG.info("the ledger's events feed is followed again after {} failed polls", failed);
                }
                lastSuccess.set(clock.instant().getEpochSecond());
                backoff = BACKOFF_MIN_MILLIS;
            } catch (RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                int failed = failures.incrementAndGet();
                if (failed == 1 || failed % LOG_EVERY_FAILURES == 0) {
                    LOG.warn("cannot follow the ledger's events feed ({} failed polls in a row); retrying with back-off: {}",
                        failed, e.toString());
                }
                try {
                    if (stopping.await(backoff, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
            }
        }
    }

    private String storedCursor() {
        return db.dsl().select(FEED_CURSOR.NEXT_AFTER).from(FEED_CURSOR).where(FEED_CURSOR.NAME.eq(CURSOR_NAME))
            .fetchOne(FEED_CURSOR.NEXT_AFTER);
    }

    /**
     * Applies {@code page} (read after {@code after}) and stores its {@code next_after}, in one transaction that
     * first locks the cursor: if another instance moved it meanwhile, the page is dropped and read again.
     */
    private void apply(String after, PaymentsApi.EventsPage page) {
        int count = db.dsl().transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            String current = tx.select(FEED_CURSOR.NEXT_AFTER).from(FEED_CURSOR).where(FEED_CURSOR.NAME.eq(CURSOR_NAME))
                .forUpdate().fetchOne(FEED_CURSOR.NEXT_AFTER);
            if (!Objects.equals(current, after)) {
                return 0;
            }
            int handled = 0;
            for (PaymentsApi.Event event : page.events()) {
                handled += handle(tx, event) ? 1 : 0;
            }
            tx.update(FEED_CURSOR).set(FEED_CURSOR.NEXT_AFTER, page.nextAfter())
                .set(FEED_CURSOR.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
                .where(FEED_CURSOR.NAME.eq(CURSOR_NAME)).execute();
            return handled;
        });
        applied.increment(count);
    }

    /** Applies one event of the feed, in the caller's transaction; true when it changed a purchase of ours. */
    static boolean handle(DSLContext tx, PaymentsApi.Event event) {
        JsonNode data = event.data();
        return switch (event.type()) {
            case "payment_event.posted" -> switch (data.path("kind").asText()) {
                case "sale", "rebill" -> applied(tx, event, PaymentEventsFollower::paid);
                case "chargeback_reversal" -> applied(tx, event, PaymentEventsFollower::chargebackReversed);
                default -> false;
            };
            case "payment_event.reversed" -> switch (data.path("kind").asText()) {
                case "refund" -> applied(tx, event, PaymentEventsFollower::refunded);
                case "chargeback" -> applied(tx, event, (t, a) -> reversed(t, a, "charged_back"));
                case "void" -> applied(tx, event, (t, a) -> reversed(t, a, "voided"));
                default -> false;
            };
            case "checkout.expired" -> {
                UUID checkout = Uuids.parseOrNull(data.path("id").asText());
                yield checkout != null && tx.update(PURCHASES).set(PURCHASES.STATUS, "expired")
                    .set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
                    .where(PURCHASES.CHECKOUT_ID.eq(checkout), PURCHASES.STATUS.eq("pending")).execute() > 0;
            }
            default -> false;
        };
    }

    /**
     * A payment event of one of our purchases, recorded for the first time: the purchase (locked), the payment
     * event's id, the event it reverses or rebills (null when none) and when it occurred.
     */
    private record Applied(PurchasesRecord purchase, UUID paymentEvent, UUID parentEvent, OffsetDateTime occurredAt) {
    }

    /**
     * Records {@code event} against its purchase and applies {@code effect}; false (and nothing done) when the
     * purchase is not ours, the payment event has no id, or it was recorded before.
     */
    private static boolean applied(DSLContext tx, PaymentsApi.Event event, BiConsumer<DSLContext, Applied> effect) {
        Applied applied = begin(tx, event);
        if (applied == null) {
            return false;
        }
        effect.accept(tx, applied);
        return true;
    }

    /** Finds the purchase of {@code event} and records the event against it; null when there is nothing to apply. */
    private static Applied begin(DSLContext tx, PaymentsApi.Event event) {
        JsonNode data = event.data();
        PurchasesRecord purchase = purchaseOf(tx, data);
        UUID paymentEvent = Uuids.parseOrNull(data.path("id").asText());
        if (purchase == null || paymentEvent == null) {
            return null;
        }
        UUID parent = Uuids.parseOrNull(data.path("parent_event_id").asText(null));
        Applied applied = new Applied(purchase, paymentEvent, parent, time(data.path("occurred_at").asText()));
        return record(tx, applied, event) ? applied : null;
    }

    private static void paid(DSLContext tx, Applied applied) {
        setStatus(tx, applied.purchase(), "paid");
        Entitlements.grant(tx, applied.purchase(), applied.paymentEvent(), applied.occurredAt());
    }

    /** A chargeback or void: the purchase takes {@code status} and its entitlements are revoked. */
    private static void reversed(DSLContext tx, Applied applied, String status) {
        setStatus(tx, applied.purchase(), status);
        Entitlements.revoke(tx, applied.purchase().getId(), applied.paymentEvent());
    }

    /**
     * A refund: once the refunds of its charge (the parent event) add up to that charge's gross — the purchase's
     * amount when the charge's is not known — what that charge granted is revoked (a subscription's refunded
     * rebill takes its own period, not the ones paid for by other charges; a charge not known here takes
     * everything), and the purchase takes the status all its events give it: {@code refunded} once every charge
     * is, else {@code partially_refunded}. Before that it is {@code partially_refunded} and keeps them.
     */
    private static void refunded(DSLContext tx, Applied applied) {
        PurchasesRecord purchase = applied.purchase();
        UUID paymentEvent = applied.paymentEvent();
        UUID charge = applied.parentEvent();
        Long chargeGross = charge == null ? null : tx.select(PURCHASE_EVENTS.AMOUNT).from(PURCHASE_EVENTS)
            .where(PURCHASE_EVENTS.PAYMENT_EVENT_ID.eq(charge)).fetchOne(PURCHASE_EVENTS.AMOUNT);
        long charged = chargeGross == null ? purchase.getAmount() : chargeGross;
        long refunded = tx.select(DSL.sum(DSL.coalesce(PURCHASE_EVENTS.AMOUNT, DSL.inline(charged))))
            .from(PURCHASE_EVENTS)
            .where(PURCHASE_EVENTS.PURCHASE_ID.eq(purchase.getId()), PURCHASE_EVENTS.KIND.eq("refund"),
                PURCHASE_EVENTS.PARENT_EVENT_ID.isNotDistinctFrom(charge))
            .fetchOne(0, long.class);
        if (refunded < charged) {
            if ("paid".equals(purchase.getStatus())) {
                setStatus(tx, purchase, "partially_refunded");
            }
            return;
        }
        if (chargeGross == null) {
            setStatus(tx, purchase, "refunded");
            Entitlements.revoke(tx, purchase.getId(), paymentEvent);
            return;
        }
        Entitlements.revokeGrantedBy(tx, purchase.getId(), charge, paymentEvent);
        if (!"charged_back".equals(purchase.getStatus())) {
            setStatus(tx, purchase, settledStatus(false, Charges.of(tx, purchase)));
        }
    }

    /**
     * A chargeback reversal (a {@code payment_event.posted} whose parent is the charge that was charged back):
     * once the purchase's reversals cover all its chargebacks, what the chargebacks revoked is granted again —
     * except what a charge gave that has since been refunded in full or voided (a refund or void arriving while
     * the purchase was charged back found nothing live to revoke) — and the purchase takes the status all its
     * recorded events give it ({@link #settledStatus}).
     */
    private static void chargebackReversed(DSLContext tx, Applied applied) {
        PurchasesRecord purchase = applied.purchase();
        var amount = DSL.coalesce(PURCHASE_EVENTS.AMOUNT, DSL.inline(purchase.getAmount()));
        long outstanding = tx.select(DSL.sum(DSL.when(PURCHASE_EVENTS.KIND.eq("chargeback"), amount)
                .otherwise(amount.neg())))
            .from(PURCHASE_EVENTS)
            .where(PURCHASE_EVENTS.PURCHASE_ID.eq(purchase.getId()),
                PURCHASE_EVENTS.KIND.in("chargeback", "chargeback_reversal"))
            .fetchOne(0, long.class);
        Charges charges = Charges.of(tx, purchase);
        if (outstanding <= 0) {
            List<UUID> chargebacks = tx.select(PURCHASE_EVENTS.PAYMENT_EVENT_ID).from(PURCHASE_EVENTS)
                .where(PURCHASE_EVENTS.PURCHASE_ID.eq(purchase.getId()), PURCHASE_EVENTS.KIND.eq("chargeback"))
                .fetch(PURCHASE_EVENTS.PAYMENT_EVENT_ID);
            Entitlements.restore(tx, purchase.getId(), chargebacks, charges.cancelled());
        }
        setStatus(tx, purchase, settledStatus(outstanding > 0, charges));
    }

    /**
     * The status the recorded events give a purchase: {@code charged_back} while chargebacks are outstanding;
     * else {@code voided} when every charge was voided, {@code refunded} when every charge was refunded in full
     * or voided, {@code partially_refunded} when some refund or void was recorded, {@code paid} when none was.
     */
    private static String settledStatus(boolean chargedBack, Charges charges) {
        if (chargedBack) {
            return "charged_back";
        }
        if (!charges.gross().isEmpty() && charges.cancelled().containsAll(charges.gross().keySet())) {
            return charges.voided().containsAll(charges.gross().keySet()) ? "voided" : "refunded";
        }
        return charges.anyReversal() ? "partially_refunded" : "paid";
    }

    /**
     * A purchase's charges (sales and rebills) with their gross (the purchase's amount when not known), those of
     * them voided, those refunded in full or voided ({@code cancelled}), and whether any refund or void was
     * recorded.
     */
    private record Charges(Map<UUID, Long> gross, Set<UUID> voided, Set<UUID> cancelled, boolean anyReversal) {
        static Charges of(DSLContext tx, PurchasesRecord purchase) {
            Map<UUID, Long> gross = new HashMap<>();
            Map<UUID, Long> refunded = new HashMap<>();
            Set<UUID> voided = new HashSet<>();
            boolean anyReversal = false;
            var events = tx.select(PURCHASE_EVENTS.PAYMENT_EVENT_ID, PURCHASE_EVENTS.KIND, PURCHASE_EVENTS.AMOUNT,
                    PURCHASE_EVENTS.PARENT_EVENT_ID)
                .from(PURCHASE_EVENTS).where(PURCHASE_EVENTS.PURCHASE_ID.eq(purchase.getId()))
                .orderBy(PURCHASE_EVENTS.APPLIED, PURCHASE_EVENTS.PAYMENT_EVENT_ID).fetch();
            for (var event : events) {
                if (List.of("sale", "rebill").contains(event.value2())) {
                    gross.put(event.value1(), event.value3() == null ? purchase.getAmount() : event.value3());
                }
            }
            for (var event : events) {
                UUID charge = event.value4();
                switch (event.value2()) {
                    case "refund" -> {
                        anyReversal = true;
                        if (gross.containsKey(charge)) {
                            long amount = event.value3() == null ? gross.get(charge) : event.value3();
                            refunded.merge(charge, amount, Long::sum);
                        }
                    }
                    case "void" -> {
                        anyReversal = true;
                        if (gross.containsKey(charge)) {
                            voided.add(charge);
                        }
                    }
                    default -> {
                        // charges, chargebacks and their reversals do not cancel a charge
                    }
                }
            }
            Set<UUID> cancelled = new HashSet<>(voided);
            refunded.forEach((charge, amount) -> {
                if (amount >= gross.get(charge)) {
                    cancelled.add(charge);
                }
            });
            return new Charges(gross, voided, cancelled, anyReversal);
        }
    }

    private static void setStatus(DSLContext tx, PurchasesRecord purchase, String status) {
        tx.update(PURCHASES).set(PURCHASES.STATUS, status).set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
            .where(PURCHASES.ID.eq(purchase.getId())).execute();
    }

    /** The purchase of the event: by its checkout, else by the payment event it reverses or rebills. */
    private static PurchasesRecord purchaseOf(DSLContext tx, JsonNode data) {
        UUID checkout = Uuids.parseOrNull(data.path("checkout_id").asText(null));
        if (checkout != null) {
            PurchasesRecord purchase = tx.selectFrom(PURCHASES).where(PURCHASES.CHECKOUT_ID.eq(checkout)).forUpdate().fetchOne();
            if (purchase != null) {
                return purchase;
            }
        }
        UUID parent = Uuids.parseOrNull(data.path("parent_event_id").asText(null));
        if (parent == null) {
            return null;
        }
        UUID purchase = tx.select(PURCHASE_EVENTS.PURCHASE_ID).from(PURCHASE_EVENTS)
            .where(PURCHASE_EVENTS.PAYMENT_EVENT_ID.eq(parent)).fetchOne(PURCHASE_EVENTS.PURCHASE_ID);
        return purchase == null ? null
            : tx.selectFrom(PURCHASES).where(PURCHASES.ID.eq(purchase)).forUpdate().fetchOne();
    }

    /** Records that the payment event of {@code applied} was applied to its purchase; false when it already was. */
    private static boolean record(DSLContext tx, Applied applied, PaymentsApi.Event event) {
        JsonNode data = event.data();
        return tx.insertInto(PURCHASE_EVENTS)
            .set(PURCHASE_EVENTS.PAYMENT_EVENT_ID, applied.paymentEvent())
            .set(PURCHASE_EVENTS.PURCHASE_ID, applied.purchase().getId())
            .set(PURCHASE_EVENTS.KIND, data.path("kind").asText())
            .set(PURCHASE_EVENTS.AMOUNT, amount(data.path("gross").asText(null)))
            .set(PURCHASE_EVENTS.PARENT_EVENT_ID, applied.parentEvent())
            .set(PURCHASE_EVENTS.FEED_EVENT_ID, event.id())
            .set(PURCHASE_EVENTS.OCCURRED_AT, applied.occurredAt())
            .set(PURCHASE_EVENTS.APPLIED, OffsetDateTime.now(ZoneOffset.UTC))
            .onConflictDoNothing().execute() > 0;
    }

    /** A gross in minor units as the feed writes it (a decimal string), or null. */
    private static Long amount(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(text);
    }

    private static OffsetDateTime time(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
    }

    /** Stops following: the current long poll is abandoned, nothing half-applied (a page is one transaction). */
    @Override
    public void close() {
        stopping.countDown();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
