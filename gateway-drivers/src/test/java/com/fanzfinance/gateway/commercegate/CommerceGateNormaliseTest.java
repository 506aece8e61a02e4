package com.fanzfinance.gateway.commercegate;

import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.FIELD;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.account;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.cgCallback;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.posted;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommerceGateNormaliseTest {

    private final CommerceGateDriver driver = new CommerceGateDriver();

    private PaymentNotice notice(Notification notification, MerchantAccount account) {
        Normalised normalised = driver.normalise(notification, account);
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    private static String typed(String type, String more) {
        return cgCallback("<TransactionType>" + type + "</TransactionType><TransactionID>CG-2002</TransactionID>"
                + "<UserID>U-77</UserID>" + more);
    }

    @Test
    void aSaleDocumentInTheFormFieldIsASale() {
        PaymentNotice notice = notice(posted(sale()), account());

        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertThat(notice.processorEventType()).isEqualTo("SALE");
        assertThat(notice.transactionId()).isEqualTo("CG-1001");
        assertThat(notice.subscriptionId()).isEqualTo("U-77");
        assertThat(notice.parentTransactionId()).isNull();
        assertThat(notice.amount()).isEqualByComparingTo("9.99");
        assertThat(notice.currency()).isEqualTo("USD");
        assertThat(notice.checkoutId()).isEqualTo("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
        assertThat(notice.dedupeKey()).isEqualTo("SALE:CG-1001");
        assertThat(notice.occurredAt()).isNull();
    }

    @Test
    void theHandlersThreeElementsAloneMakeAMalformedSaleForWantOfAnAmount() {
        String handlerShaped = cgCallback("<TransactionType>SALE</TransactionType><TransactionID>CG-1</TransactionID>"
                + "<UserID>U-1</UserID>");

        assertThat(driver.normalise(posted(handlerShaped), account())).isEqualTo(new Normalised.Malformed("Amount missing"));
    }

    @Test
    void theBuiltInTypesAreSaleRebillAndEveryCancelMembership() {
        String money = "<Amount>4.50</Amount><Currency>EUR</Currency>";
        assertThat(notice(posted(typed("REBILL", money)), account()).kind()).isEqualTo(PaymentKind.REBILL);
        assertThat(notice(posted(typed("sale", money)), account()).kind()).as("types are compared without case")
                .isEqualTo(PaymentKind.SALE);
        for (String type : new String[] {"CANCELMEMBERSHIP", "CANCELMEMBERSHIPNOTIFY"}) {
            PaymentNotice cancellation = notice(posted(typed(type, "")), account());
            assertThat(cancellation.kind()).as(type).isEqualTo(PaymentKind.CANCELLATION);
            assertThat(cancellation.amount()).isNull();
            assertThat(cancellation.dedupeKey()).isEqualTo(type + ":CG-2002");
        }
    }

    @Test
    void unpublishedTypesAreIgnoredUntilTypeMapNamesThem() {
        String money = "<Amount>-4.50</Amount><Currency>USD</Currency>";
        assertThat(driver.normalise(posted(typed("REFUND", money)), account()))
                .isEqualTo(new Normalised.Ignored("REFUND", "unmapped CommerceGate transaction type", "REFUND:CG-2002"));

        MerchantAccount mapped = account(Map.of("type_map", "REFUND:refund, CHARGEBACK*:chargeback, SALE:ignore"));
        PaymentNotice refund = notice(posted(typed("REFUND", money)), mapped);
        assertThat(refund.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(refund.amount()).as("a reversal's amount is positive").isEqualByComparingTo("4.50");
        assertThat(notice(posted(typed("CHARGEBACKNOTIFY", money)), mapped).kind()).isEqualTo(PaymentKind.CHARGEBACK);
        assertThat(driver.normalise(posted(typed("SALE", money)), mapped)).isInstanceOf(Normalised.Ignored.class);
        assertThat(notice(posted(typed("CANCELMEMBERSHIP", "")), account(Map.of("type_map", "CANCELMEMBERSHIPNOTIFY:other")))
                .kind()).as("an exact entry wins over the prefix only for its own type").isEqualTo(PaymentKind.CANCELLATION);
        assertThat(notice(posted(typed("CANCELMEMBERSHIPNOTIFY", "")), account(Map.of("type_map", "CANCELMEMBERSHIPNOTIFY:other")))
                .kind()).isEqualTo(PaymentKind.OTHER);
    }

    @Test
    void anUnreadableTypeMapIsMalformedNamingTheSetting() {
        for (String bad : new String[] {"REFUND", "REFUND:money", "*:sale", ":sale"}) {
            assertThat(driver.normalise(posted(sale()), account(Map.of("type_map", bad)))).as(bad)
                    .isEqualTo(new Normalised.Malformed("setting type_map is not a list of TYPE:kind"));
        }
    }

    @Test
    void aRefundBeforeItsSaleIsJustNormalisedWithTheParentWhenParentFieldNamesIt() {
        MerchantAccount account = account(Map.of("type_map", "REFUND:refund", "parent_field", "OriginalTransactionID"));
        PaymentNotice refund = notice(posted(typed("REFUND",
                "<OriginalTransactionID>CG-1001</OriginalTransactionID><Amount>9.99</Amount><Currency>USD</Currency>")), account);

        assertThat(refund.kind()).isEqualTo(PaymentKind.REFUND);
        assertThat(refund.parentTransactionId()).isEqualTo("CG-1001");
        assertThat(refund.transactionId()).isEqualTo("CG-2002");
    }

    @Test
    void missingOrUnreadableMoneyFieldsAreMalformedNamingThem() {
        assertThat(driver.normalise(posted(typed("SALE", "<Amount>9,99</Amount><Currency>USD</Currency>")), account()))
                .isEqualTo(new Normalised.Malformed("Amount is not a decimal"));
        assertThat(driver.normalise(posted(typed("SALE", "<Amount>9.99</Amount>")), account()))
                .isEqualTo(new Normalised.Malformed("Currency missing"));
        assertThat(driver.normalise(posted(typed("SALE", "<Amount>9.99</Amount><Currency>US</Currency>")), account()))
                .isEqualTo(new Normalised.Malformed("Currency is not a currency code"));
        assertThat(driver.normalise(posted(cgCallback("<TransactionType>SALE</TransactionType><Amount>1</Amount>"
                + "<Currency>USD</Currency>")), account())).isEqualTo(new Normalised.Malformed("TransactionID missing"));
        assertThat(driver.normalise(posted(cgCallback("<UserID>1</UserID>")), account()))
                .isEqualTo(new Normalised.Malformed("TransactionType missing"));
        assertThat(driver.normalise(posted("", "nothing=here"), account()))
                .isEqualTo(new Normalised.Malformed("TransactionType missing (no cgCallback XML document found)"));
    }

    @Test
    void elementNamesAreSettings() {
        String renamed = cgCallback("<Type>SALE</Type><Id>T9</Id><Member>M9</Member><Price>12.50</Price><Cur>EUR</Cur>"
                + "<Ref>abc</Ref>");
        PaymentNotice notice = notice(posted(renamed), account(Map.of("type_field", "Type", "transaction_field", "Id",
                "subscription_field", "Member", "amount_field", "Price", "currency_field", "Cur", "checkout_field", "Ref")));

        assertThat(List.of(notice.transactionId(), notice.subscriptionId(), notice.currency(), notice.checkoutId()))
                .containsExactly("T9", "M9", "EUR", "abc");
        assertThat(notice.amount()).isEqualByComparingTo("12.50");
    }

    @Test
    void formFieldPicksTheDocumentAndWithoutItTheOneCgCallbackOrTheBodyIsRead() {
        String form = "note=" + URLEncoder.encode("<b>hello</b>", StandardCharsets.UTF_8) + "&" + FIELD + "="
                + URLEncoder.encode(sale(), StandardCharsets.UTF_8);

        assertThat(notice(posted("", form), account(Map.of("form_field", FIELD))).transactionId()).isEqualTo("CG-1001");
        assertThat(notice(posted("", form), account()).transactionId()).as("unset: the one cgCallback document")
                .isEqualTo("CG-1001");
        // A pass-through a fan filled with a forged callback, beside the real one: ambiguous, never a guess.
        String forged = cgCallback("<TransactionType>SALE</TransactionType><TransactionID>FAKE</TransactionID>"
                + "<Amount>999.00</Amount><Currency>USD</Currency>");
        String twoCallbacks = "custom=" + URLEncoder.encode(forged, StandardCharsets.UTF_8) + "&" + FIELD + "="
                + URLEncoder.encode(sale(), StandardCharsets.UTF_8);
        assertThat(driver.normalise(posted("", twoCallbacks), account())).isInstanceOf(Normalised.Malformed.class);
        assertThat(notice(posted("", twoCallbacks), account(Map.of("form_field", FIELD))).transactionId())
                .as("the named field settles it").isEqualTo("CG-1001");
        String repeated = FIELD + "=" + URLEncoder.encode(sale(), StandardCharsets.UTF_8) + "&" + FIELD + "="
                + URLEncoder.encode(forged, StandardCharsets.UTF_8);
        assertThat(driver.normalise(posted("", repeated), account(Map.of("form_field", FIELD))))
                .as("a repeated form field").isInstanceOf(Normalised.Malformed.class);
        assertThat(driver.normalise(posted(sale()), account(Map.of("form_field", "other"))))
                .isInstanceOf(Normalised.Malformed.class);

        Notification rawXml = CommerceGateFixtures.post("", "text/xml", sale(), "192.0.2.10");
        assertThat(notice(rawXml, account()).transactionId()).isEqualTo("CG-1001");
    }

    @Test
    void nestedElementsEntitiesAndCdataAreRead() {
        String nested = cgCallback("<Transaction><TransactionType>SALE</TransactionType><TransactionID>A&amp;B</TransactionID>"
                + "</Transaction><Payment><Amount><![CDATA[9.99]]></Amount><Currency>USD</Currency></Payment>"
                + "<!-- a comment --><UserID>U&#45;1</UserID>");
        PaymentNotice notice = notice(posted(nested), account());

        assertThat(notice.transactionId()).isEqualTo("A&B");
        assertThat(notice.subscriptionId()).isEqualTo("U-1");
        assertThat(notice.amount()).isEqualByComparingTo("9.99");
    }

    @Test
    void theCheckoutIdMayComeFromAParameterOfTheCallbackUrl() {
        String withoutId = typed("SALE", "<Amount>1.00</Amount><Currency>USD</Currency>");
        Notification notification = posted("fanz_checkout_id=4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b",
                FIELD + "=" + URLEncoder.encode(withoutId, StandardCharsets.UTF_8));

        assertThat(notice(notification, account()).checkoutId()).isEqualTo("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    }

    @Test
    void plainParametersWithoutAnyDocumentAreReadToo() {
        Notification flat = posted("", "TransactionType=SALE&TransactionID=F1&UserID=U&Amount=3.00&Currency=USD");

        assertThat(notice(flat, account()).transactionId()).isEqualTo("F1");
    }

    @Test
    void aDtdOrExternalEntityIsNeverProcessed() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE cgCallback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<cgCallback><TransactionType>SALE</TransactionType><TransactionID>&x;</TransactionID>"
                + "<Amount>1</Amount><Currency>USD</Currency></cgCallback>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + "<cgCallback><TransactionType>&d;</TransactionType></cgCallback>";

        for (String xml : new String[] {xxe, laughs}) {
            Normalised normalised = driver.normalise(posted(xml), account());
            assertThat(normalised).isEqualTo(new Normalised.Malformed("TransactionType missing (no cgCallback XML document found)"));
            assertThat(normalised.toString()).doesNotContain("root:");
        }
    }

    @Test
    void tooDeepOrBrokenDocumentsAreUnreadableQuickly() {
        String deep = "<a>".repeat(CallbackFields.MAX_DEPTH + 1) + "<TransactionType>SALE</TransactionType>"
                + "</a>".repeat(CallbackFields.MAX_DEPTH + 1);
        String veryDeep = "<a>".repeat(200_000);
        String broken = "<cgCallback><TransactionType>SALE</TransactionType><TransactionID>1";

        long started = System.nanoTime();
        for (String xml : new String[] {deep, veryDeep, broken}) {
            assertThat(driver.normalise(posted(xml), account())).isInstanceOf(Normalised.Malformed.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        String justDeepEnough = cgCallback("<a>".repeat(CallbackFields.MAX_DEPTH - 2)
                + "<TransactionType>CANCELMEMBERSHIP</TransactionType>" + "</a>".repeat(CallbackFields.MAX_DEPTH - 2));
        assertThat(notice(posted(justDeepEnough), account()).kind()).isEqualTo(PaymentKind.CANCELLATION);
    }

    @Test
    void aRetryHasTheSameDedupeKeyAndAnIdlessOneTheHashOfQueryAndBody() {
        assertThat(notice(posted(sale()), account()).dedupeKey()).isEqualTo(notice(posted(sale()), account()).dedupeKey());

        String idless = cgCallback("<TransactionType>CANCELMEMBERSHIPNOTIFY</TransactionType><UserID>U-1</UserID>");
        String first = notice(posted(idless), account()).dedupeKey();
        assertThat(first).startsWith("sha256:").hasSize(7 + 64).isEqualTo(notice(posted(idless), account()).dedupeKey());
        assertThat(notice(posted(idless.replace("U-1", "U-2")), account()).dedupeKey()).isNotEqualTo(first);
    }
}
