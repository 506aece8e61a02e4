package com.fanzfinance.platform.content;

import static com.fanzfinance.platform.content.schema.Tables.FEED_CURSOR;
import static com.fanzfinance.platform.content.schema.Tables.PURCHASES;
import static com.fanzfinance.platform.content.schema.Tables.PURCHASE_EVENTS;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.ledger.client.PaymentsApi;
import com.fanzfinance.platform.common.ServiceDatabase;
import com.fanzfinance.platform.content.schema.tables.records.PurchasesRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Follows the ledger's events feed ({@code GET /v1/events}, long-polled) and turns payments into
 * entitlements: a posted sale or rebill of one of our purchases' checkouts pays the purchase and grants what
 * it buys; a posted refund, chargeback or void takes it back; an expired checkout expires its pending
 * purchase. Each page is applied in one transaction together with the feed position it leads to, so a crash
 * never loses or applies an event twice; each payment event is also recorded once per purchase, so a
 * replayed page changes nothing. Events of checkouts that are not ours are skipped. A ledger (or database)
 * outage is logged once and retried with back-off until it ends; {@link #close} stops the thread.
 */
final class PaymentEventsFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentEventsFollower.class);
    static final String CURSOR_NAME = "ledger-events";
    static final List<String> TYPES = List.of("payment_event.posted", "payment_event.reversed", "checkout.expired");
    private static final int PAGE_SIZE = 100;
    private static final long BACKOFF_MIN_MILLIS = 500;
    private static final long BACKOFF_MAX_MILLIS = 30_000;

    private final ServiceDatabase db;
    private final PaymentsApi payments;
    private final int waitSeconds;
    private final Counter applied;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;

    PaymentEventsFollower(ServiceDatabase db, PaymentsApi payments, int waitSeconds, MeterRegistry metrics) {
        this.db = db;
        this.payments = payments;
        this.waitSeconds = waitSeconds;
        this.applied = Counter.builder("fanz.content.payment.events.applied")
            .description("ledger payment events applied to purchases").register(metrics);
        this.thread = new Thread(this::run, "content-ledger-events");
        this.thread.setDaemon(true);
    }

    PaymentEventsFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoff = BACKOFF_MIN_MILLIS;
        boolean failing = false;
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
                if (failing) {
                    LOG.info("the ledger's events feed is followed again");
                    failing = false;
                }
                backoff = BACKOFF_MIN_MILLIS;
            } catch (RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                if (!failing) {
                    LOG.warn("cannot follow the ledger's events feed; retrying with back-off: {}", e.toString());
                    failing = true;
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

    /** Applies one event; true when it changed a purchase of ours. */
    private static boolean handle(DSLContext tx, PaymentsApi.Event event) {
        JsonNode data = event.data();
        return switch (event.type()) {
            case "payment_event.posted" -> {
                String kind = data.path("kind").asText();
                yield (kind.equals("sale") || kind.equals("rebill")) && paid(tx, event);
            }
            case "payment_event.reversed" -> {
                String status = switch (data.path("kind").asText()) {
                    case "refund" -> "refunded";
                    case "chargeback" -> "charged_back";
                    case "void" -> "voided";
                    default -> null;
                };
                yield status != null && reversed(tx, event, status);
            }
            case "checkout.expired" -> {
                UUID checkout = uuid(data.path("id").asText());
                yield checkout != null && tx.update(PURCHASES).set(PURCHASES.STATUS, "expired")
                    .set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
                    .where(PURCHASES.CHECKOUT_ID.eq(checkout), PURCHASES.STATUS.eq("pending")).execute() > 0;
            }
            default -> false;
        };
    }

    private static boolean paid(DSLContext tx, PaymentsApi.Event event) {
        JsonNode data = event.data();
        PurchasesRecord purchase = purchaseOf(tx, data);
        UUID paymentEvent = uuid(data.path("id").asText());
        if (purchase == null || paymentEvent == null) {
            return false;
        }
        OffsetDateTime occurredAt = time(data.path("occurred_at").asText());
        if (!record(tx, purchase, paymentEvent, event, occurredAt)) {
            return false;
        }
        tx.update(PURCHASES).set(PURCHASES.STATUS, "paid").set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
            .where(PURCHASES.ID.eq(purchase.getId())).execute();
        Entitlements.grant(tx, purchase, paymentEvent, occurredAt);
        return true;
    }

    private static boolean reversed(DSLContext tx, PaymentsApi.Event event, String status) {
        JsonNode data = event.data();
        PurchasesRecord purchase = purchaseOf(tx, data);
        UUID paymentEvent = uuid(data.path("id").asText());
        if (purchase == null || paymentEvent == null) {
            return false;
        }
        if (!record(tx, purchase, paymentEvent, event, time(data.path("occurred_at").asText()))) {
            return false;
        }
        tx.update(PURCHASES).set(PURCHASES.STATUS, status).set(PURCHASES.UPDATED, OffsetDateTime.now(ZoneOffset.UTC))
            .where(PURCHASES.ID.eq(purchase.getId())).execute();
        Entitlements.revoke(tx, purchase.getId(), paymentEvent);
        return true;
    }

    /** The purchase of the event: by its checkout, else by the payment event it reverses or rebills. */
    private static PurchasesRecord purchaseOf(DSLContext tx, JsonNode data) {
        UUID checkout = uuid(data.path("checkout_id").asText(null));
        if (checkout != null) {
            PurchasesRecord purchase = tx.selectFrom(PURCHASES).where(PURCHASES.CHECKOUT_ID.eq(checkout)).forUpdate().fetchOne();
            if (purchase != null) {
                return purchase;
            }
        }
        UUID parent = uuid(data.path("parent_event_id").asText(null));
        if (parent == null) {
            return null;
        }
        UUID purchase = tx.select(PURCHASE_EVENTS.PURCHASE_ID).from(PURCHASE_EVENTS)
            .where(PURCHASE_EVENTS.PAYMENT_EVENT_ID.eq(parent)).fetchOne(PURCHASE_EVENTS.PURCHASE_ID);
        return purchase == null ? null
            : tx.selectFrom(PURCHASES).where(PURCHASES.ID.eq(purchase)).forUpdate().fetchOne();
    }

    /** Records that {@code paymentEvent} was applied to {@code purchase}; false when it already was. */
    private static boolean record(DSLContext tx, PurchasesRecord purchase, UUID paymentEvent, PaymentsApi.Event event,
            OffsetDateTime occurredAt) {
        return tx.insertInto(PURCHASE_EVENTS)
            .set(PURCHASE_EVENTS.PAYMENT_EVENT_ID, paymentEvent)
            .set(PURCHASE_EVENTS.PURCHASE_ID, purchase.getId())
            .set(PURCHASE_EVENTS.KIND, event.data().path("kind").asText())
            .set(PURCHASE_EVENTS.FEED_EVENT_ID, event.id())
            .set(PURCHASE_EVENTS.OCCURRED_AT, occurredAt)
            .set(PURCHASE_EVENTS.APPLIED, OffsetDateTime.now(ZoneOffset.UTC))
            .onConflictDoNothing().execute() > 0;
    }

    private static UUID uuid(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
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
