package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The saved CoinPayments sample (a legacy transfer IPN, secret unknown) and builders of IPNs signed here on the JDK,
 * apart from the driver's digests.
 */
final class CoinPaymentsSamples {

    static final String FILE = "samples/coinpayments/coinpayments_legacy_ipn_transfer_rawbody__cl-coinpayments_README.txt";
    static final String TRANSFER_BODY = Notifications.resource(FILE).lines()
            .filter(line -> line.startsWith("amount=")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no body in " + FILE));
    static final String SAMPLE_MERCHANT = "6989063bc5e0f43c139f8ddfe0e71db9";
    /** The sample's real secret is not public: this one is the tests' own. */
    static final String TEST_SECRET = "test-ipn-secret-9QkR2vLm";

    /** An {@code api} IPN of a completed transaction, fields in alphabetical order. */
    static final String API_BODY = "amount1=20.00&amount2=0.00040000&currency1=USD&currency2=BTC"
            + "&custom=0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01&fee=0.00000200&ipn_id=8d6f1e2b3c4a5d6e7f8091a2b3c4d5e6"
            + "&ipn_mode=hmac&ipn_type=api&ipn_version=1.0&merchant=" + SAMPLE_MERCHANT
            + "&received_amount=0.00040000&received_confirms=3&status=100&status_text=Complete&txn_id=CPFA4XKZ2QO8Y3N6LMVTR1BWEP";

    private CoinPaymentsSamples() {
    }

    @SafeVarargs
    static Notification ipn(String body, Map.Entry<String, String>... headers) {
        return Notifications.post("coinpayments", "", "application/x-www-form-urlencoded", body, "203.0.113.91", headers);
    }

    static Notification signedWith(String secret, String body) {
        return ipn(body, Map.entry("HMAC", hmacHex("HmacSHA512", secret, body.getBytes(StandardCharsets.UTF_8))));
    }

    static MerchantAccount account(Map<String, String> settings, Map<String, String> secrets) {
        return Notifications.account("coinpayments", settings, secrets);
    }

    static MerchantAccount account(Map<String, String> secrets) {
        return account(Map.of("merchant_id", SAMPLE_MERCHANT), secrets);
    }

    static byte[] hmac(String algorithm, String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacHex(String algorithm, String key, byte[] message) {
        return HexFormat.of().formatHex(hmac(algorithm, key, message));
    }
}
