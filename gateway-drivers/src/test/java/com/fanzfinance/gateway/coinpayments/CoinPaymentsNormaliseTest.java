package com.fanzfinance.gateway.coinpayments;

import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.API_BODY;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.TRANSFER_BODY;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.account;
import static com.fanzfinance.gateway.coinpayments.CoinPaymentsSamples.ipn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoinPaymentsNormaliseTest {

    private final CoinPaymentsDriver driver = new CoinPaymentsDriver();
    private final MerchantAccount account = account(Map.of("ipn_secret", "s"));

    private PaymentNotice notice(String body) {
        Normalised normalised = driver.normalise(ipn(body), account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private Normalised normalised(String body) {
        return driver.normalise(ipn(body), account);
    }

    @Test
    void theTransferSampleIsNotAPayment() {
        assertThat(normalised(TRANSFER_BODY)).isEqualTo(new Normalised.Ignored("transfer", "not a payment: transfer IPN",
                "f60f7391ec606d2631e6d53157906dbf"));
    }

    @Test
    void depositsAndWithdrawalsAreIgnoredAndUnknownTypesToo() {
        assertThat(normalised(TRANSFER_BODY.replace("ipn_type=transfer", "ipn_type=deposit")))
                .isInstanceOf(Normalised.Ignored.class);
        assertThat(normalised(TRANSFER_BODY.replace("ipn_type=transfer", "ipn_type=withdrawal")))
                .isInstanceOf(Normalised.Ignored.class);
        assertThat(normalised(API_BODY.replace("ipn_type=api", "ipn_type=subscription")))
                .isEqualTo(new Normalised.Ignored("subscription", "unknown ipn_type", "8d6f1e2b3c4a5d6e7f8091a2b3c4d5e6"));
    }

    @Test
    void aCompletedApiIpnIsASaleOfThePriceSettledInTheCoin() {
        PaymentNotice notice = notice(API_BODY);

        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("100");
        assertThat(notice.transactionId()).isEqualTo("CPFA4XKZ2QO8Y3N6LMVTR1BWEP");
        assertThat(notice.dedupeKey()).isEqualTo("8d6f1e2b3c4a5d6e7f8091a2b3c4d5e6");
        assertThat(notice.amount()).isEqualTo(new BigDecimal("20.00"));
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.settlementAmount()).isEqualTo(new BigDecimal("0.00040000"));
        assertThat(notice.settlementCurrency()).isEqualTo("BTC");
        assertThat(notice.checkoutId()).isEqualTo("0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01");
        assertThat(notice.occurredAt()).isNull();
        assertThat(notice.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "status {0} → {1}")
    @CsvSource({"100, SALE", "2, SALE", "101, SALE", "0, OTHER", "1, OTHER", "3, OTHER", "99, OTHER", "-1, FAILURE",
            "-2, FAILURE"})
    void theStatusDecidesTheKind(String status, PaymentKind kind) {
        PaymentNotice notice = notice(API_BODY.replace("status=100", "status=" + status));
        assertThat(notice.kind()).isEqualTo(kind);
        assertThat(notice.processorEventType()).isEqualTo(status);
    }

    @Test
    void buttonAndOtherPaymentIpnsAreReadToo() {
        for (String type : new String[] {"button", "simple", "cart", "donation"}) {
            assertThat(notice(API_BODY.replace("ipn_type=api", "ipn_type=" + type)).kind()).as(type).isEqualTo(PaymentKind.SALE);
        }
    }

    @Test
    void aCompletedStatusWithLessReceivedIsAPartialPaymentRecordedNotSold() {
        PaymentNotice notice = notice(API_BODY.replace("received_amount=0.00040000", "received_amount=0.00030000"));
        assertThat(notice.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice.warnings()).containsExactly("received-below-amount");
        assertThat(notice(API_BODY.replace("received_amount=0.00040000", "received_amount=0.00050000")).kind())
                .isEqualTo(PaymentKind.SALE);
    }

    @Test
    void tokenCodesLoseTheirNetworkIntoAWarning() {
        PaymentNotice notice = notice(API_BODY.replace("currency2=BTC", "currency2=usdt.trc20")
                .replace("amount2=0.00040000", "amount2=20.000000").replace("received_amount=0.00040000", "received_amount=20.000000"));
        assertThat(notice.settlementCurrency()).isEqualTo("USDT");
        assertThat(notice.settlementAmount()).isEqualTo(new BigDecimal("20.000000"));
        assertThat(notice.warnings()).containsExactly("currency2-network:TRC20");
        PaymentNotice priced = notice(API_BODY.replace("currency1=USD", "currency1=USDC.ERC20"));
        assertThat(priced.currency()).isEqualTo("USDC");
        assertThat(priced.warnings()).containsExactly("currency1-network:ERC20");
    }

    @Test
    void withoutIpnIdTheDedupeKeyIsTheTransactionAndStatus() {
        String noId = API_BODY.replace("&ipn_id=8d6f1e2b3c4a5d6e7f8091a2b3c4d5e6", "");
        assertThat(notice(noId).dedupeKey()).isEqualTo("CPFA4XKZ2QO8Y3N6LMVTR1BWEP:100");
        assertThat(notice(noId.replace("status=100", "status=1")).dedupeKey()).isEqualTo("CPFA4XKZ2QO8Y3N6LMVTR1BWEP:1");
    }

    @Test
    void aResentIpnHasTheSameDedupeKeyAndTheNextStatusAnother() {
        String pending = API_BODY.replace("status=100", "status=0").replace("ipn_id=8d6f1e2b3c4a5d6e7f8091a2b3c4d5e6",
                "ipn_id=11111111111111111111111111111111");
        assertThat(notice(API_BODY).dedupeKey()).isEqualTo(notice(API_BODY).dedupeKey());
        assertThat(notice(pending).dedupeKey()).isNotEqualTo(notice(API_BODY).dedupeKey());
    }

    @Test
    void aFailureBeforeAnyProgressIsJustNormalised() {
        PaymentNotice failed = notice(API_BODY.replace("status=100", "status=-1").replace("status_text=Complete",
                "status_text=Cancelled+%2F+Timed+Out"));
        assertThat(failed.kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(failed.transactionId()).isEqualTo("CPFA4XKZ2QO8Y3N6LMVTR1BWEP");
    }

    @Test
    void unreadableIpnsAreMalformedNamingTheField() {
        assertThat(normalised("")).isEqualTo(new Normalised.Malformed("body"));
        assertThat(normalised(API_BODY.replace("ipn_type=api&", ""))).isEqualTo(new Normalised.Malformed("ipn_type"));
        assertThat(normalised(API_BODY.replace("status=100", "status=done"))).isEqualTo(new Normalised.Malformed("status"));
        assertThat(normalised(API_BODY.replace("status=100", "status=99999999999"))).isEqualTo(new Normalised.Malformed("status"));
        assertThat(normalised(API_BODY.replace("&txn_id=CPFA4XKZ2QO8Y3N6LMVTR1BWEP", ""))).isEqualTo(new Normalised.Malformed("txn_id"));
        assertThat(normalised(API_BODY.replace("amount1=20.00&", ""))).isEqualTo(new Normalised.Malformed("amount1"));
        assertThat(normalised(API_BODY.replace("currency1=USD&", ""))).isEqualTo(new Normalised.Malformed("currency1"));
        assertThat(normalised(API_BODY.replace("amount1=20.00", "amount1=-20.00"))).isEqualTo(new Normalised.Malformed("amount1"));
        assertThat(normalised(API_BODY.replace("amount1=20.00", "amount1=2e1"))).isEqualTo(new Normalised.Malformed("amount1"));
        assertThat(normalised(API_BODY.replace("currency2=BTC", "currency2=B%26T"))).isEqualTo(new Normalised.Malformed("currency2"));
        assertThat(normalised(API_BODY.replace("received_amount=0.00040000", "received_amount=lots")))
                .isEqualTo(new Normalised.Malformed("received_amount"));
        assertThat(normalised(API_BODY + "&amount1=2000.00")).isEqualTo(new Normalised.Malformed("amount1"));
    }

    @Test
    void progressWithoutAPriceIsStillRecorded() {
        PaymentNotice notice = notice(API_BODY.replace("status=100", "status=0").replace("amount1=20.00&", "")
                .replace("currency1=USD&", ""));
        assertThat(notice.kind()).isEqualTo(PaymentKind.OTHER);
        assertThat(notice.amount()).isNull();
    }
}
