package com.fanzfinance.gateway.netbilling;

import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.get;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.keyed;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sample;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.sampleQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetbillingNormaliseTest {

    private final NetbillingDriver driver = new NetbillingDriver();

    private static String withField(String name, String value) {
        return sampleQuery().replaceAll("(^|&)" + name + "=[^&]*", "$1" + name + "=" + value);
    }

    private static String withoutField(String name) {
        return sampleQuery().replaceAll("(^|&)" + name + "=[^&]*", "");
    }

    private PaymentNotice notice(String query, MerchantAccount account) {
        Normalised normalised = driver.normalise(get(query, "netbilling:" + KEY), account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    @Test
    void theSamplePostbackIsASaleOfItsCostTotalInTheDefaultCurrency() {
        Normalised normalised = driver.normalise(sample(), keyed());

        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        PaymentNotice notice = ((Normalised.Notice) normalised).notice();
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("1");
        assertThat(notice.transactionId()).isEqualTo("114262403227");
        assertThat(notice.subscriptionId()).isEqualTo("114350668953");
        assertThat(notice.amount()).isEqualByComparingTo("10.01");
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.occurredAt()).isEqualTo(Instant.parse("2020-07-04T20:13:39Z"));
        assertThat(notice.checkoutId()).isNull();
        assertThat(notice.dedupeKey()).isEqualTo("1:114262403227");
        assertThat(notice.warnings()).isEmpty();
    }

    @Test
    void theEchoedCheckoutIdAndTheOlderIdFieldsAreRead() {
        String query = withoutField("Ecom_Ezic_Response_TransactionID").replace("Ecom_Ezic_Recurring_ID", "x_recurring")
                + "&fanz_checkout_id=4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b";
        PaymentNotice notice = notice(query, keyed());

        assertThat(notice.transactionId()).isEqualTo("114262403227");
        assertThat(notice.subscriptionId()).isEqualTo("114350668952");
        assertThat(notice.checkoutId()).isEqualTo("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    }

    @Test
    void statusZeroIsAFailureAndUnexplainedCodesAreIgnoredUnlessMapped() {
        assertThat(notice(withField("Ecom_Ezic_Response_StatusCode", "0"), keyed()).kind()).isEqualTo(PaymentKind.FAILURE);

        Normalised unmapped = driver.normalise(get(withField("Ecom_Ezic_Response_StatusCode", "F"), null), keyed());
        assertThat(unmapped).isEqualTo(new Normalised.Ignored("F", "unmapped NETbilling status code", "F:114262403227"));

        MerchantAccount mapped = keyed(Map.of("status_map", "F:failure, T:ignore,0:ignore"));
        assertThat(notice(withField("Ecom_Ezic_Response_StatusCode", "F"), mapped).kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(driver.normalise(get(withField("Ecom_Ezic_Response_StatusCode", "0"), null), mapped))
                .isInstanceOf(Normalised.Ignored.class);
        assertThat(notice(sampleQuery(), mapped).kind()).as("the built-in 1 stays").isEqualTo(PaymentKind.SALE);
    }

    @Test
    void anUnreadableStatusMapIsMalformedNamingTheSetting() {
        for (String bad : new String[] {"F", "F:refunded", ":sale", "F:sale:extra:nonsense"}) {
            assertThat(driver.normalise(sample(), keyed(Map.of("status_map", bad)))).as(bad)
                    .isEqualTo(new Normalised.Malformed("setting status_map is not a list of code:kind"));
        }
    }

    @Test
    void aMappedRefundBeforeItsSaleIsJustNormalised() {
        PaymentNotice refund = notice(withField("Ecom_Ezic_Response_StatusCode", "R"), keyed(Map.of("status_map", "R:refund")));

        assertThat(refund.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(refund.amount()).isEqualByComparingTo("10.01");
        assertThat(refund.parentTransactionId()).isNull();
    }

    @Test
    void missingOrUnreadableFieldsAreMalformedNamingThem() {
        assertThat(driver.normalise(get(withoutField("Ecom_Ezic_Response_StatusCode"), null), keyed()))
                .isEqualTo(new Normalised.Malformed("Ecom_Ezic_Response_StatusCode missing"));
        assertThat(driver.normalise(get(withoutField("Ecom_Ezic_Response_TransactionID")
                        .replaceAll("&Ecom_Ezic_TransactionId=[^&]*", ""), null), keyed()))
                .isEqualTo(new Normalised.Malformed("Ecom_Ezic_Response_TransactionID missing"));
        assertThat(driver.normalise(get(withoutField("Ecom_Cost_Total"), null), keyed()))
                .isEqualTo(new Normalised.Malformed("Ecom_Cost_Total missing"));
        for (String amount : new String[] {"1e3", "-10.01", "10,01", "ten"}) {
            assertThat(driver.normalise(get(withField("Ecom_Cost_Total", amount), null), keyed())).as(amount)
                    .isEqualTo(new Normalised.Malformed("Ecom_Cost_Total is not a decimal"));
        }
    }

    @Test
    void aFailureWithoutTransactionIdOrAmountIsStillRecorded() {
        String query = withField("Ecom_Ezic_Response_StatusCode", "0").replaceAll("&?Ecom_Ezic_(Response_TransactionID|TransactionId)=[^&]*", "")
                .replaceAll("(^|&)Ecom_Cost_Total=[^&]*", "");
        PaymentNotice failure = notice(query, keyed());

        assertThat(failure.kind()).isEqualTo(PaymentKind.FAILURE);
        assertThat(failure.transactionId()).isNull();
        assertThat(failure.amount()).isNull();
        assertThat(failure.dedupeKey()).startsWith("sha256:").hasSize(7 + 64);
    }

    @Test
    void theCurrencyIsTheSitesSettingNeverAnEchoedField() {
        assertThat(notice(sampleQuery(), keyed()).currency()).isEqualTo("USD");
        assertThat(notice(sampleQuery(), keyed(Map.of("default_currency", "eur"))).currency()).isEqualTo("EUR");
        assertThat(notice(sampleQuery() + "&fanz_currency=EUR&currency=EUR", keyed()).currency())
                .as("a field the fan could have set").isEqualTo("USD");
        assertThat(driver.normalise(sample(), keyed(Map.of("default_currency", "dollars"))))
                .isEqualTo(new Normalised.Malformed("setting default_currency is not a currency code"));
    }

    @Test
    void theIssueDateIsReadInTheAccountsTimeZone() {
        assertThat(notice(sampleQuery(), keyed(Map.of("timezone", "America/Denver"))).occurredAt())
                .isEqualTo(Instant.parse("2020-07-05T02:13:39Z"));
        PaymentNotice unreadable = notice(sampleQuery(), keyed(Map.of("timezone", "Mars/Olympus")));
        assertThat(unreadable.occurredAt()).isNull();
        assertThat(unreadable.warnings()).containsExactly("issue-date-unreadable");
        assertThat(notice(withField("Ecom_Ezic_Response_IssueDate", "yesterday"), keyed()).warnings())
                .containsExactly("issue-date-unreadable");
    }

    @Test
    void aRetryHasTheSameDedupeKeyWhateverKeyItCarriesAndAnotherTransactionAnother() {
        MerchantAccount account = keyed(Map.of("status_map", "F:failure"));
        String noIds = withField("Ecom_Ezic_Response_StatusCode", "F")
                .replaceAll("&?Ecom_Ezic_(Response_TransactionID|TransactionId)=[^&]*", "");

        String first = notice(noIds, account).dedupeKey();
        String again = notice(noIds, account).dedupeKey();
        String other = notice(noIds + "&x=1", account).dedupeKey();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(notice(sampleQuery(), keyed()).dedupeKey()).isEqualTo(notice(sampleQuery(), keyed()).dedupeKey())
                .isNotEqualTo(notice(withField("Ecom_Ezic_Response_TransactionID", "114262403228"), keyed()).dedupeKey());
    }

    @Test
    void amountsStayExactDecimals() {
        assertThat(notice(withField("Ecom_Cost_Total", "0.10"), keyed()).amount()).isEqualTo(new BigDecimal("0.10"));
    }
}
