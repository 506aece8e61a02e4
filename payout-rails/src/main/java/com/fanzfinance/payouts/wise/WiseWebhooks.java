package com.fanzfinance.payouts.wise;

import com.fanzfinance.payouts.rail.RailStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import static com.fanzfinance.payouts.wise.WiseJson.text;

/**
 * Wise webhooks: the {@code X-Signature-SHA256} check (RSA PKCS#1 v1.5 with SHA-256 over the raw body bytes, the
 * signature in Base64, verified with Wise's public key), reading an event, and what an event means for a payout.
 *
 * <p>Check the signature over the body exactly as received, before parsing it; dedupe deliveries on
 * {@code X-Delivery-Id} and order events by {@link WiseEvent#occurredAt()}.
 */
public final class WiseWebhooks {
    /** Wise's sandbox webhook public key (published by Wise; not a secret). */
    public static final String SANDBOX_PUBLIC_KEY_PEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwpb91cEYuyJNQepZAVfP
        ZIlPZfNUefH+n6w9SW3fykqKu938cR7WadQv87oF2VuT+fDt7kqeRziTmPSUhqPU
        ys/V2Q1rlfJuXbE+Gga37t7zwd0egQ+KyOEHQOpcTwKmtZ81ieGHynAQzsn1We3j
        wt760MsCPJ7GMT141ByQM+yW1Bx+4SG3IGjXWyqOWrcXsxAvIXkpUD/jK/L958Cg
        nZEgz0BSEh0QxYLITnW1lLokSx/dTianWPFEhMC9BgijempgNXHNfcVirg1lPSyg
        z7KqoKUN0oHqWLr2U1A+7kqrl6O2nx3CKs1bj1hToT1+p4kcMoHXA7kA+VBLUpEs
        VwIDAQAB
        -----END PUBLIC KEY-----
        """;

    /** Wise's production webhook public key (published by Wise; not a secret). */
    public static final String PRODUCTION_PUBLIC_KEY_PEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvO8vXV+JksBzZAY6GhSO
        XdoTCfhXaaiZ+qAbtaDBiu2AGkGVpmEygFmWP4Li9m5+Ni85BhVvZOodM9epgW3F
        bA5Q1SexvAF1PPjX4JpMstak/QhAgl1qMSqEevL8cmUeTgcMuVWCJmlge9h7B1CS
        D4rtlimGZozG39rUBDg6Qt2K+P4wBfLblL0k4C4YUdLnpGYEDIth+i8XsRpFlogx
        CAFyH9+knYsDbR43UJ9shtc42Ybd40Afihj8KnYKXzchyQ42aC8aZ/h5hyZ28yVy
        Oj3Vos0VdBIs/gAyJ/4yyQFCXYte64I7ssrlbGRaco4nKF3HmaNhxwyKyJafz19e
        HwIDAQAB
        -----END PUBLIC KEY-----
        """;

    /** The header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Signature-SHA256";
    /** The header to dedupe deliveries on. */
    public static final String DELIVERY_ID_HEADER = "X-Delivery-Id";
    /** Largest body {@link #parse} reads. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Set<String> RETURNED_STATES = Set.of("bounced_back", "funds_refunded", "charged_back");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WiseWebhooks() {
    }

    /** Whether {@code signatureBase64} is {@code key}'s SHA256withRSA signature of {@code rawBody}; false for junk. */
    public static boolean verify(byte[] rawBody, String signatureBase64, PublicKey key) {
        if (rawBody == null || signatureBase64 == null || key == null) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64.strip());
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(rawBody);
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The key an account's notifications are verified with: {@code pemOverride} when given (not blank), else Wise's
     * key of the environment ({@code production}, or the sandbox's).
     */
    public static PublicKey keyFor(String environment, String pemOverride) {
        if (pemOverride != null && !pemOverride.isBlank()) {
            return publicKey(pemOverride);
        }
        return publicKey("production".equals(environment) ? PRODUCTION_PUBLIC_KEY_PEM : SANDBOX_PUBLIC_KEY_PEM);
    }

    /** An RSA public key from its PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static PublicKey publicKey(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM form", e);
        }
    }

    /**
     * Reads an event body (after its signature was checked).
     *
     * @throws IllegalArgumentException for a body over {@link #MAX_BODY_BYTES}, not JSON, or without {@code event_type}
     */
    public static WiseEvent parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a Wise event is at most " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the Wise event is not JSON", e);
        }
        if (root == null || !root.isObject() || text(root, "event_type") == null) {
            throw new IllegalArgumentException("the Wise event has no event_type");
        }
        JsonNode data = root.path("data");
        JsonNode resource = data.path("resource");
        String resourceId = text(resource, "id");
        if (resourceId == null) {
            resourceId = text(data, "transfer_id");
        }
        String profileId = text(resource, "profile_id");
        BigDecimal refund = null;
        if (resource.hasNonNull("refund_amount")) {
            try {
                refund = new BigDecimal(resource.get("refund_amount").asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the Wise event's refund_amount is not a number", e);
            }
        }
        return new WiseEvent(text(root, "event_type"), resourceId, text(data, "current_state"),
            text(data, "previous_state"), instant(text(data, "occurred_at")), text(data, "failure_reason_code"),
            text(data, "failure_description"), refund, text(resource, "refund_currency"), text(root, "subscription_id"),
            text(root, "schema_version"), profileId == null ? text(data, "profile_id") : profileId);
    }

    /**
     * What the event means for the payout of its transfer: {@code transfers#state-change} to
     * {@code outgoing_payment_sent} → SETTLED; to {@code bounced_back}, {@code funds_refunded} or
     * {@code charged_back} → RETURNED; to {@code cancelled} → FAILED; {@code transfers#refund} → RETURNED (the server
     * compares {@link WiseEvent#refundAmount()} and {@link WiseEvent#refundCurrency()} with the payout before booking
     * it); anything else → empty (record it, change nothing). {@code transfers#payout-failure} is empty too: Wise sends
     * it for a funded transfer whose payout to the bank failed, and such a transfer may still be delivered once the
     * recipient's details are fixed (or be refunded later, which a state-change or refund event reports), so it is
     * recorded and the transfer polled, never taken as a failure. Whether a RETURNED for a payout that never settled
     * is booked as a return or a failure is the server's call.
     */
    public static Optional<RailStatus> status(WiseEvent event) {
        switch (event.eventType()) {
            case "transfers#state-change": {
                String state = event.currentState() == null ? "" : event.currentState();
                if (state.equals("outgoing_payment_sent")) {
                    return Optional.of(RailStatus.SETTLED);
                }
                if (RETURNED_STATES.contains(state)) {
                    return Optional.of(RailStatus.RETURNED);
                }
                if (state.equals("cancelled")) {
                    return Optional.of(RailStatus.FAILED);
                }
                return Optional.empty();
            }
            case "transfers#payout-failure":
                // a funded transfer whose delivery failed for now: may still be paid once details are fixed
                return Optional.empty();
            case "transfers#refund":
                return Optional.of(RailStatus.RETURNED);
            default:
                return Optional.empty();
        }
    }

    private static Instant instant(String text) {
        Instant instant = WiseJson.instant(text);
        if (text != null && instant == null) {
            throw new IllegalArgumentException("the Wise event's occurred_at is not a timestamp");
        }
        return instant;
    }
}
