package com.fanzfinance.gateway.segpay;

import com.fanzfinance.gateway.support.UnreadableField;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import com.fanzfinance.gateway.support.Digests;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a Segpay postback into the processor-neutral notice.
 *
 * <p><b>TransPost</b> ({@code postback=trans}, or any postback carrying {@code trantype}): the kind follows Segpay's
 * matrix of {@code trantype}, {@code action}, {@code stage} and {@code approved} (compared without case):
 * <ul>
 *   <li>{@code sale auth initial yes} sale; {@code sale auth conversion|instantconversion|rebill yes} rebill;</li>
 *   <li>{@code sale auth <any stage> no} failure (a declined signup, conversion or rebill);</li>
 *   <li>{@code sale void … yes} void; {@code credit auth … yes} refund; {@code charge auth … yes} chargeback;</li>
 *   <li>any other combination is ignored.</li>
 * </ul>
 * The transaction is {@code tranid} (new for every void, credit and chargeback), the subscription
 * {@code purchaseid}, the parent of rebills and reversals {@code relatedtranid}; the gross is {@code price} in
 * {@code currencycode} (a reversal's sign is dropped, its kind says the money goes back); the dedupe key is
 * {@code trans:<tranid>} (payments API: PP Part E's {@code tranid}).
 *
 * <p><b>Member management</b> ({@code postback=cancel|disable|enable|inquiry|reactivate}): {@code cancel}
 * cancellation, {@code disable} expiration, {@code enable} and {@code reactivate} recorded as other, {@code inquiry}
 * (a user-name check) ignored. They name the subscription by {@code purchaseid} (required) and are keyed
 * {@code <postback>:<purchaseid>:<transtime>}, or without a {@code transtime} by the SHA-256 of query and body.
 * A postback without {@code postback} or {@code trantype} is read by the {@code action} constants of Segpay's own
 * template examples ({@code add} enable, {@code delete} disable, {@code cancel}, {@code query}/{@code probe}
 * inquiry).
 *
 * <p>{@code transtime} (or the examples' {@code billertranstime}) becomes the event time: Segpay's US format
 * {@code M/d/yyyy h:mm:ss AM} (or 24-hour, or ISO-8601) in the {@code timezone} setting; an unreadable time is a
 * warning, not a failure. The checkout id is {@code fanz_checkout_id} (or the extra's own name
 * {@code x-fanz_checkout_id}).
 */
final class SegpayPostback {

    static final String CHECKOUT_ID = "fanz_checkout_id";

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private final Notification notification;
    private final Notification.Parameters params;
    private final MerchantAccount account;

    private SegpayPostback(Notification notification, MerchantAccount account) {
        this.notification = notification;
        this.params = notification.parameters();
        this.account = account;
    }

    static Normalised normalise(Notification notification, MerchantAccount account) {
        Optional<String> repeated = notification.parameters().firstRepeatedName();
        if (repeated.isPresent()) {
            return new Normalised.Malformed("repeated parameter " + repeated.get());
        }
        try {
            return new SegpayPostback(notification, account).read();
        } catch (UnreadableField e) {
            return new Normalised.Malformed(e.getMessage());
        }
    }

    private Normalised read() {
        Optional<String> postback = params.nonBlank("postback").map(SegpayPostback::lower);
        String type;
        if (postback.isPresent()) {
            type = postback.get();
        } else if (params.nonBlank("trantype").isPresent()) {
            type = "trans";
        } else {
            type = params.nonBlank("action").map(SegpayPostback::lower).map(SegpayPostback::exampleAction)
                    .orElseThrow(() -> new UnreadableField("missing postback"));
        }
        return switch (type) {
            case "trans" -> transPost();
            case "cancel", "cancellation" -> member(type, PaymentKind.CANCELLATION);
            case "disable" -> member(type, PaymentKind.EXPIRATION);
            case "enable", "reactivate", "reactivation" -> member(type, PaymentKind.OTHER);
            case "inquiry" -> new Normalised.Ignored(type, "a Segpay user-name inquiry moves no money", null);
            default -> new Normalised.Ignored(type, "unknown Segpay postback " + type, null);
        };
    }

    /** The postback type of an {@code action} constant in Segpay's template examples; else the action itself. */
    private static String exampleAction(String action) {
        return switch (action) {
            case "add" -> "enable";
            case "delete" -> "disable";
            case "query", "probe" -> "inquiry";
            default -> action;
        };
    }

    private Normalised transPost() {
        String trantype = lower(required("trantype"));
        String action = lower(required("action"));
        String stage = optional("stage").map(SegpayPostback::lower).orElse("");
        String approvedText = lower(required("approved"));
        String tranid = required("tranid");
        boolean approved = switch (approvedText) {
            case "yes", "y", "true", "1" -> true;
            case "no", "n", "false", "0" -> false;
            default -> throw new UnreadableField("approved is neither yes nor no");
        };
        String eventType = trantype + "/" + action + "/" + (stage.isEmpty() ? "-" : stage) + "/" + (approved ? "yes" : "no");
        String dedupeKey = "trans:" + tranid;
        Optional<PaymentKind> kind = kind(trantype, action, stage, approved);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(eventType, "combination not in Segpay's TransPost matrix", dedupeKey);
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(kind.get(), eventType, dedupeKey)
                .transactionId(tranid)
                .subscriptionId(optional("purchaseid").orElse(null))
                .checkoutId(checkoutId())
                .cardType(optional("cardtype").orElse(null));
        if (kind.get() == PaymentKind.REBILL || kind.get().isReversal()) {
            Optional<String> parent = optional("relatedtranid");
            if (parent.isEmpty() && optional("purchaseid").isEmpty()) {
                throw new UnreadableField("missing relatedtranid and purchaseid");
            }
            notice.parentTransactionId(parent.orElse(null));
        }
        money(kind.get(), notice);
        occurredAt(notice);
        return new Normalised.Notice(notice.build());
    }

    private static Optional<PaymentKind> kind(String trantype, String action, String stage, boolean approved) {
        if (trantype.equals("sale") && action.equals("auth")) {
            if (!approved) {
                return Optional.of(PaymentKind.FAILURE);
            }
            return Optional.ofNullable(switch (stage) {
                case "initial" -> PaymentKind.SALE;
                case "conversion", "instantconversion", "rebill" -> PaymentKind.REBILL;
                default -> null;
            });
        }
        if (!approved) {
            return Optional.empty();
        }
        if (trantype.equals("sale") && action.equals("void")) {
            return Optional.of(PaymentKind.VOID);
        }
        if (trantype.equals("credit") && action.equals("auth")) {
            return Optional.of(PaymentKind.REFUND);
        }
        if (trantype.equals("charge") && action.equals("auth")) {
            return Optional.of(PaymentKind.CHARGEBACK);
        }
        return Optional.empty();
    }

    private Normalised member(String type, PaymentKind kind) {
        String purchaseId = required("purchaseid");
        Optional<String> transtime = transtime();
        String dedupeKey = transtime.map(time -> type + ":" + purchaseId + ":" + time)
                .orElseGet(() -> "sha256:" + Digests.sha256Hex(queryAndBody()));
        PaymentNotice.Builder notice = PaymentNotice.builder(kind, type, dedupeKey)
                .transactionId(optional("tranid").orElse(null))
                .subscriptionId(purchaseId)
                .checkoutId(checkoutId());
        money(kind, notice);
        occurredAt(notice);
        return new Normalised.Notice(notice.build());
    }

    /**
     * {@code price} in {@code currencycode}: required for the kinds that move money; for the others taken when both
     * are readable, else left out with a warning.
     */
    private void money(PaymentKind kind, PaymentNotice.Builder notice) {
        if (!kind.movesMoney()) {
            Optional<String> price = optional("price");
            Optional<String> currency = optional("currencycode");
            if (price.isEmpty() && currency.isEmpty()) {
                return;
            }
            Optional<BigDecimal> amount = price.flatMap(Decimals::parseAbsolute);
            if (amount.isPresent() && currency.isPresent() && CURRENCY.matcher(currency.get()).matches()) {
                notice.amount(amount.get(), currency.get().toUpperCase(Locale.ROOT));
            } else {
                notice.warning("price-unreadable");
            }
            return;
        }
        String price = required("price");
        Optional<BigDecimal> amount = kind.isReversal() ? Decimals.parseAbsolute(price) : Decimals.parse(price);
        String currency = required("currencycode");
        if (amount.isEmpty()) {
            throw new UnreadableField("price is not a decimal");
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw new UnreadableField("currencycode is not a currency code");
        }
        notice.amount(amount.get(), currency.toUpperCase(Locale.ROOT));
    }

    private void occurredAt(PaymentNotice.Builder notice) {
        Optional<String> transtime = transtime();
        if (transtime.isEmpty()) {
            return;
        }
        Optional<Instant> instant = SegpayTimes.parse(transtime.get(), account.setting(SegpayDriver.TIMEZONE, "UTC"));
        if (instant.isPresent()) {
            notice.occurredAt(instant.get());
        } else {
            notice.warning("transtime-unreadable");
        }
    }

    private Optional<String> transtime() {
        return optional("transtime").or(() -> optional("billertranstime"));
    }

    private String checkoutId() {
        return optional(CHECKOUT_ID).or(() -> optional("x-" + CHECKOUT_ID)).orElse(null);
    }

    private byte[] queryAndBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(notification.rawQuery().getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.writeBytes(notification.body());
        return bytes.toByteArray();
    }

    private String required(String field) {
        return optional(field).orElseThrow(() -> new UnreadableField("missing " + field));
    }

    private Optional<String> optional(String field) {
        return params.nonBlank(field);
    }

    private static String lower(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }
}
