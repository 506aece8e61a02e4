package com.fanzfinance.gateway.epoch;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification.Parameters;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DataPlus row ({@code ets_*} fields) delivered to the webhook. {@code ets_transaction_type}: {@code I} (initial
 * recurring), {@code O} (non-recurring), {@code T} (paid trial) sale; {@code N} (rebill), {@code U} (trial
 * conversion) rebill; {@code C} refund; {@code D} (chargeback), {@code X} (returned check) chargeback; {@code J}
 * (denied trial conversion) failure; {@code K} (cancelled trial) cancellation; {@code F} (free trial) recorded as
 * other; anything else ignored.
 *
 * <p>The transaction is {@code ets_transaction_id} (keyed like its FlexPost, so a join reported both ways posts
 * once), the subscription {@code ets_member_idx}, the parent of reversals the first of {@code ets_ref_trans_ids};
 * the gross is {@code ets_transaction_amount} (negative for credits: the sign is dropped for reversals) in the
 * account's {@code dataplus_currency}, since a row names no currency; the time is {@code ets_transaction_date}.
 * Whether Epoch's FlexPost {@code transaction_id} and DataPlus {@code ets_transaction_id} are the same number is
 * not confirmed publicly.
 */
final class EpochDataPlus {

    static final String TYPE = "ets_transaction_type";

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final Pattern ID_SEPARATORS = Pattern.compile("[\\s,;|]+");

    private EpochDataPlus() {
    }

    static Normalised normalise(Parameters params, MerchantAccount account) {
        String type = params.nonBlank(TYPE).orElseThrow().toUpperCase(Locale.ROOT);
        String eventType = TYPE + "=" + type;
        Optional<String> transactionId = params.nonBlank("ets_transaction_id");
        String dedupeKey = transactionId.map(EpochFlexPost::dedupeKey).orElse(null);
        Optional<PaymentKind> kind = kind(type);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(eventType, "unknown Epoch DataPlus transaction type", dedupeKey);
        }
        if (transactionId.isEmpty()) {
            return new Normalised.Malformed("missing ets_transaction_id");
        }
        Optional<String> parent = params.nonBlank("ets_ref_trans_ids")
                .map(ids -> ID_SEPARATORS.split(ids.trim())[0])
                .filter(id -> !id.isEmpty());
        Optional<String> member = params.nonBlank("ets_member_idx");
        PaymentNotice.Builder notice = PaymentNotice.builder(kind.get(), eventType, dedupeKey)
                .transactionId(transactionId.get())
                .subscriptionId(member.orElse(null))
                .checkoutId(params.nonBlank(EpochFlexPost.CHECKOUT_ID).orElse(null));
        if (kind.get() == PaymentKind.REBILL || kind.get().isReversal()) {
            if (parent.isEmpty() && member.isEmpty()) {
                return new Normalised.Malformed("missing ets_ref_trans_ids and ets_member_idx");
            }
            notice.parentTransactionId(parent.orElse(null));
        }
        Optional<String> amountText = params.nonBlank("ets_transaction_amount");
        if (kind.get().movesMoney() && amountText.isEmpty()) {
            return new Normalised.Malformed("missing ets_transaction_amount");
        }
        if (amountText.isPresent()) {
            String currency = account.setting(EpochDriver.DATAPLUS_CURRENCY, "USD").trim();
            Optional<BigDecimal> amount = kind.get().isCharge()
                    ? Decimals.parse(amountText.get())
                    : Decimals.parseAbsolute(amountText.get());
            if (amount.isPresent() && CURRENCY.matcher(currency).matches()) {
                notice.amount(amount.get(), currency.toUpperCase(Locale.ROOT));
            } else if (kind.get().movesMoney()) {
                return new Normalised.Malformed(amount.isEmpty() ? "invalid ets_transaction_amount"
                        : "the account's dataplus_currency is not a currency code");
            } else {
                notice.warning("ets-transaction-amount-unreadable");
            }
        }
        Optional<String> time = params.nonBlank("ets_transaction_date");
        if (time.isPresent()) {
            Optional<Instant> occurredAt = EpochTimes.parse(time.get(), account.setting(EpochDriver.TIMEZONE, "UTC"));
            if (occurredAt.isPresent()) {
                notice.occurredAt(occurredAt.get());
            } else {
                notice.warning("ets-transaction-date-unreadable");
            }
        }
        return new Normalised.Notice(notice.build());
    }

    private static Optional<PaymentKind> kind(String type) {
        return Optional.ofNullable(switch (type) {
            case "I", "O", "T" -> PaymentKind.SALE;
            case "N", "U" -> PaymentKind.REBILL;
            case "C" -> PaymentKind.REFUND;
            case "D", "X" -> PaymentKind.CHARGEBACK;
            case "J" -> PaymentKind.FAILURE;
            case "K" -> PaymentKind.CANCELLATION;
            case "F" -> PaymentKind.OTHER;
            default -> null;
        });
    }
}
