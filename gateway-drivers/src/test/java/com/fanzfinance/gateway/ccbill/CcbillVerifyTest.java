package com.fanzfinance.gateway.ccbill;

import static com.fanzfinance.gateway.ccbill.CcbillSamples.PEER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digests here were computed outside the code under test ({@code printf '%s' … | md5sum}): the sample ids are
 * anonymised, so there is no CCBill-published webhook vector.
 */
class CcbillVerifyTest {

    private static final String SALT = "7d901dad245fd0ff6bc20d06";
    private static final String PREVIOUS_SALT = "previous-salt-0042";
    /** md5("0117240102000000049" + "1" + SALT): approval of the recurring sale sample. */
    private static final String APPROVAL_DIGEST = "f853a7708d6a10efb53e0094708d3252";
    /** md5("0117240102000000049" + "1" + PREVIOUS_SALT). */
    private static final String APPROVAL_DIGEST_PREVIOUS_SALT = "039ce9f540fbe18cbcb99f21af90de80";
    /** md5("0117240102000000048" + "0" + SALT): denial of the failure sample, keyed by its transactionId. */
    private static final String DENIAL_DIGEST = "cc05f07bf4a20cbe7aa0c10c86cf9aac";

    private final CcbillDriver driver = new CcbillDriver();

    private static Notification withDigest(String sample, String digest) {
        ObjectNode fields = CcbillSamples.object(sample);
        fields.put("dynamicPricingValidationDigest", digest);
        return Notifications.post("ccbill", "", "application/json", fields.toString(), PEER);
    }

    private static MerchantAccount account(Map<String, String> settings, MerchantAccount.Secrets secrets) {
        return Notifications.account("ccbill", settings, secrets);
    }

    private static MerchantAccount withSalt(String salt) {
        return account(Map.of("client_accnum", "007687"), MerchantAccount.Secrets.of(Map.of("salt", salt)));
    }

    private static MerchantAccount rotated(java.time.Instant previousValidUntil) {
        return account(Map.of(), new MerchantAccount.Secrets(Map.of("salt", "the-new-salt"),
                Map.of("salt", PREVIOUS_SALT), previousValidUntil));
    }

    @Test
    void anApprovalDigestOverTheSubscriptionIdVerifiesWithTheCurrentSalt() {
        assertThat(driver.verify(withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST), withSalt(SALT)))
                .isEqualTo(new Verification.Verified(Verification.With.CURRENT));
        assertThat(driver.verify(withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST.toUpperCase()), withSalt(SALT)))
                .isEqualTo(new Verification.Verified(Verification.With.CURRENT));
    }

    @Test
    void aDenialDigestCoversTheDenialDigestField() {
        Notification failure = withDigest(CcbillSamples.RECURRING_FAILURE, DENIAL_DIGEST);
        MerchantAccount bySubscription = account(Map.of("denial_digest_field", "subscriptionId"),
                MerchantAccount.Secrets.of(Map.of("salt", SALT)));

        assertThat(driver.verify(failure, withSalt(SALT))).isEqualTo(new Verification.Verified(Verification.With.CURRENT));
        assertThat(driver.verify(failure, bySubscription)).isInstanceOf(Verification.Unauthenticated.class);
    }

    @Test
    void anApprovalDigestDoesNotPassForADenial() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.RECURRING_SALE);
        fields.put("dynamicPricingValidationDigest", APPROVAL_DIGEST);
        fields.put("failureCode", "BE-900");
        Notification declined = Notifications.post("ccbill", "", "application/json", fields.toString(), PEER);

        assertThat(driver.verify(declined, withSalt(SALT))).isEqualTo(new Verification.Unauthenticated("digest"));
    }

    @Test
    void aTamperedDigestOrIdIsUnauthenticated() {
        ObjectNode otherSubscription = CcbillSamples.object(CcbillSamples.RECURRING_SALE);
        otherSubscription.put("dynamicPricingValidationDigest", APPROVAL_DIGEST);
        otherSubscription.put("subscriptionId", "0117240102000000050");
        Notification tamperedId = Notifications.post("ccbill", "", "application/json", otherSubscription.toString(), PEER);
        String tamperedDigest = "0" + APPROVAL_DIGEST.substring(1);

        assertThat(driver.verify(withDigest(CcbillSamples.RECURRING_SALE, tamperedDigest), withSalt(SALT)))
                .isEqualTo(new Verification.Unauthenticated("digest"));
        assertThat(driver.verify(tamperedId, withSalt(SALT))).isEqualTo(new Verification.Unauthenticated("digest"));
    }

    @Test
    void aWrongSaltIsUnauthenticated() {
        assertThat(driver.verify(withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST), withSalt("another-salt")))
                .isEqualTo(new Verification.Unauthenticated("digest"));
    }

    @Test
    void thePreviousSaltVerifiesOnlyWithinItsGracePeriod() {
        Notification previous = withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST_PREVIOUS_SALT);

        assertThat(driver.verify(previous, rotated(Notifications.RECEIVED.plusSeconds(3600))))
                .isEqualTo(new Verification.Verified(Verification.With.PREVIOUS));
        assertThat(driver.verify(previous, rotated(Notifications.RECEIVED)))
                .isEqualTo(new Verification.Unauthenticated("digest"));
        assertThat(driver.verify(previous, rotated(Notifications.RECEIVED.minusSeconds(1))))
                .isEqualTo(new Verification.Unauthenticated("digest"));
    }

    @Test
    void aDigestWithoutAConfiguredSaltIsUnauthenticated() {
        Verification verification = driver.verify(withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST),
                account(Map.of(), MerchantAccount.Secrets.NONE));

        assertThat(verification).isEqualTo(new Verification.Unauthenticated("digest: no salt configured"));
    }

    @Test
    void withoutADigestOnlyTheSourceVouchesForIt() {
        Notification chargeback = Notifications.post("ccbill", "", "application/json",
                CcbillSamples.text(CcbillSamples.CHARGEBACK), PEER);

        assertThat(driver.verify(chargeback, withSalt(SALT)))
                .isEqualTo(new Verification.Verified(Verification.With.SOURCE_ONLY));
        assertThat(driver.verify(chargeback, account(Map.of(), MerchantAccount.Secrets.NONE)))
                .isEqualTo(new Verification.Verified(Verification.With.SOURCE_ONLY));
    }

    @Test
    void anotherAccountNumberIsAnAccountMismatch() {
        Notification fromQuery = Notifications.post("ccbill", "clientAccnum=900000&eventType=Void", "application/json",
                "{\"transactionId\":\"0000000001000006464\"}", PEER);
        Notification chargeback = Notifications.post("ccbill", "", "application/json",
                CcbillSamples.text(CcbillSamples.CHARGEBACK), PEER);
        MerchantAccount other = account(Map.of("client_accnum", "900000"), MerchantAccount.Secrets.NONE);
        MerchantAccount unpadded = account(Map.of("client_accnum", "7687"), MerchantAccount.Secrets.NONE);

        assertThat(driver.verify(fromQuery, withSalt(SALT))).isEqualTo(new Verification.Unauthenticated("account-mismatch"));
        assertThat(driver.verify(chargeback, other)).isEqualTo(new Verification.Unauthenticated("account-mismatch"));
        assertThat(driver.verify(chargeback, unpadded)).isEqualTo(new Verification.Verified(Verification.With.SOURCE_ONLY));
    }

    @Test
    void anAccountMismatchIsReportedBeforeTheDigest() {
        MerchantAccount other = account(Map.of("client_accnum", "900000"), MerchantAccount.Secrets.of(Map.of("salt", SALT)));

        assertThat(driver.verify(withDigest(CcbillSamples.RECURRING_SALE, APPROVAL_DIGEST), other))
                .isEqualTo(new Verification.Unauthenticated("account-mismatch"));
    }

    @Test
    void theFormBodyVerifiesLikeTheJsonBody() {
        ObjectNode fields = CcbillSamples.object(CcbillSamples.RECURRING_SALE);
        fields.put("dynamicPricingValidationDigest", APPROVAL_DIGEST);
        String query = CcbillSamples.moveToQuery(fields, "eventType", "eventGroupType", "clientAccnum", "clientSubacc");
        Notification form = Notifications.post("ccbill", query, "application/x-www-form-urlencoded",
                CcbillSamples.form(fields), PEER);

        assertThat(driver.verify(form, withSalt(SALT))).isEqualTo(new Verification.Verified(Verification.With.CURRENT));
    }
}
