package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a legacy IPN. Payment IPNs ({@code ipn_type} {@code simple}, {@code button}, {@code cart},
 * {@code donation}, {@code api}) are read by {@code status}: {@code >= 100} or {@code 2} a sale, {@code < 0} a
 * failure, anything else progress ({@code other}: waiting, partially received, confirming). A completed status whose
 * {@code received_amount} is below {@code amount2} is a partial payment: recorded as {@code other} with the warning
 * {@code received-below-amount}, never a sale. Deposit, withdrawal and transfer IPNs concern the CoinPayments wallet,
 * not a checkout: ignored.
 *
 * <p>The transaction id is {@code txn_id}; the amount {@code amount1} in {@code currency1} (the price); the
 * settlement {@code amount2} in {@code currency2} (the coin paid); the checkout id {@code custom}. The dedupe key is
 * {@code ipn_id} (the same for CoinPayments' re-sends of one IPN), else {@code txn_id:status}. Coin codes are upper
 * case and lose a network suffix ({@code USDT.TRC20} → {@code USDT}), which is kept as a warning
 * ({@code currency2-network:TRC20}).
 */
final class CoinPaymentsNormaliser {

    private static final Set<String> PAYMENT_TYPES = Set.of("simple", "button", "cart", "donation", "api");
    private static final Set<String> WALLET_TYPES = Set.of("deposit", "withdrawal", "transfer");
    private static final Pattern STATUS = Pattern.compile("-?[0-9]{1,9}");

    private CoinPaymentsNormaliser() {
    }

    static Normalised normalise(Notification notification) {
        IpnFields fields = IpnFields.of(notification);
        if (fields.isEmpty()) {
            return new Normalised.Malformed("body");
        }
        Optional<String> type = fields.value("ipn_type");
        if (type.isEmpty()) {
            return new Normalised.Malformed("ipn_type");
        }
        String ipnId = fields.value("ipn_id").orElse(null);
        if (WALLET_TYPES.contains(type.get())) {
            return new Normalised.Ignored(type.get(), "not a payment: " + type.get() + " IPN", ipnId);
        }
        if (!PAYMENT_TYPES.contains(type.get())) {
            return new Normalised.Ignored(type.get(), "unknown ipn_type", ipnId);
        }
        Optional<String> statusText = fields.value("status").filter(value -> STATUS.matcher(value).matches());
        if (statusText.isEmpty()) {
            return new Normalised.Malformed("status");
        }
        Optional<String> txnId = fields.value("txn_id");
        if (txnId.isEmpty()) {
            return new Normalised.Malformed("txn_id");
        }
        int status = Integer.parseInt(statusText.get());
        PaymentKind kind = status >= 100 || status == 2 ? PaymentKind.SALE : status < 0 ? PaymentKind.FAILURE
                : PaymentKind.OTHER;

        Optional<Money> price = money(fields, "amount1", "currency1");
        Optional<Money> paid = money(fields, "amount2", "currency2");
        for (String field : new String[] {"amount1", "currency1", "amount2", "currency2", "received_amount"}) {
            if (fields.repeated(field) || (fields.value(field).isPresent() && unreadable(fields, field))) {
                return new Normalised.Malformed(field);
            }
        }
        if (kind.movesMoney() && price.isEmpty()) {
            return new Normalised.Malformed(fields.value("amount1").isEmpty() ? "amount1" : "currency1");
        }
        boolean partial = kind == PaymentKind.SALE && paid.isPresent() && fields.value("received_amount")
                .flatMap(Decimals::parse).map(received -> received.compareTo(paid.get().amount()) < 0).orElse(false);

        PaymentNotice.Builder notice = PaymentNotice.builder(partial ? PaymentKind.OTHER : kind, statusText.get(),
                        ipnId != null ? ipnId : txnId.get() + ":" + statusText.get())
                .transactionId(txnId.get())
                .checkoutId(fields.value("custom").orElse(null));
        if (partial) {
            notice.warning("received-below-amount");
        }
        price.ifPresent(money -> {
            notice.amount(money.amount(), money.coin().code());
            money.coin().network().ifPresent(network -> notice.warning("currency1-network:" + network));
        });
        paid.ifPresent(money -> {
            notice.settlement(money.amount(), money.coin().code());
            money.coin().network().ifPresent(network -> notice.warning("currency2-network:" + network));
        });
        return new Normalised.Notice(notice.build());
    }

    private record Money(BigDecimal amount, CoinCode coin) {
    }

    private static Optional<Money> money(IpnFields fields, String amountField, String currencyField) {
        Optional<BigDecimal> amount = fields.value(amountField).flatMap(Decimals::parse);
        Optional<CoinCode> coin = fields.value(currencyField).flatMap(CoinCode::parse);
        if (amount.isEmpty() || coin.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Money(amount.get(), coin.get()));
    }

    private static boolean unreadable(IpnFields fields, String field) {
        String value = fields.value(field).orElseThrow();
        return field.startsWith("currency") ? CoinCode.parse(value).isEmpty() : Decimals.parse(value).isEmpty();
    }
}
