package com.fanzfinance.server.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches card merchant accounts' chargebacks (see {@link AccountHealth} for how they are measured): when a
 * network's threshold is reached, the account is drained — routing sends it no new checkouts — and an event
 * {@code merchant_account.threshold_exceeded} goes out, once, in the same transaction. An admin takes the
 * account back with {@code PATCH {"drained": false}}; if the ratio is still over the line, the next chargeback
 * drains it again.
 *
 * <p>Checked right after each chargeback is posted, and for every account with a chargeback in the window at
 * start and hourly (so a crash between posting and checking, or a threshold lowered by an admin, is caught).
 */
public final class ChargebackMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ChargebackMonitor.class);
    static final Duration FULL_CHECK_EVERY = Duration.ofHours(1);

    private final DSLContext dsl;
    private final MerchantAccounts accounts;
    private final AccountHealth health;
    private final EventSink events;
    private volatile Instant lastFullCheck = Instant.EPOCH;

    public ChargebackMonitor(DSLContext dsl, MerchantAccounts accounts, AccountHealth health, EventSink events) {
        this.dsl = dsl;
        this.accounts = accounts;
        this.health = health;
        this.events = events;
    }

    /** Checks one account now; true when this check drained it. */
    public boolean check(UUID accountId, Instant now) {
        MerchantAccounts.Account account = accounts.get(accountId).orElse(null);
        if (account == null || account.isDrained()) {
            return false;
        }
        List<AccountHealth.NetworkChargebacks> over = health.chargebacks(accountId, now, account.chargebackThresholds())
            .stream().filter(AccountHealth.NetworkChargebacks::exceeded).toList();
        if (over.isEmpty()) {
            return false;
        }
        String reason = "chargeback threshold exceeded: " + over.stream().map(each -> each.network() + " "
            + each.chargebacks() + " chargebacks, " + (each.ratioBp() == null ? "no sales" : each.ratioBp() + " bp")
            + " (threshold " + each.threshold().ratioBp() + " bp and " + each.threshold().minCount() + ")")
            .collect(Collectors.joining("; "));
        boolean drained = dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            if (!accounts.drain(tx, accountId, reason, now)) {
                return false;
            }
            events.append(tx, account.tenant(), "merchant_account.threshold_exceeded", account.id().toString(),
                MerchantAccounts.write(health.toJson(account.drained(now, reason), now, 24, 20)));
            return true;
        });
        accounts.forget(accountId);
        if (drained) {
            LOG.atWarn().addKeyValue("merchant_account_id", accountId).addKeyValue("tenant", account.tenant())
                .log("merchant account drained: {}", reason);
        }
        return drained;
    }

    /** The periodic pass: every account with a chargeback in the window, at most once per {@link #FULL_CHECK_EVERY}. */
    public int checkAllIfDue(Instant now) {
        if (Duration.between(lastFullCheck, now).compareTo(FULL_CHECK_EVERY) < 0) {
            return 0;
        }
        lastFullCheck = now;
        int drained = 0;
        for (UUID id : accounts.withChargebacksSince(now.minus(AccountHealth.CHARGEBACK_WINDOW))) {
            if (check(id, now)) {
                drained++;
            }
        }
        return drained;
    }
}
