package com.fanzfinance.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fanzfinance.gateway.Acknowledgement;
import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.conformance.GarbageNotifications.Garbage;
import com.fanzfinance.gateway.testing.SimulatedAccount;
import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.gateway.testing.SimulatedRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every driver on the class path must do, whatever its processor: the contract of {@link ProcessorDriver}
 * checked against each driver {@link ProcessorDrivers#load()} finds, with notifications from the driver's
 * {@link SimulatedProcessor} and with garbage. A new driver is checked as soon as its services line exists; the
 * checks that need authentic notifications fail until it has a simulator in {@link SimulatedProcessors}.
 */
class DriverConformanceTest {

    private static final Pattern LOWER_CASE_NAME = Pattern.compile("[a-z][a-z0-9]*");
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Instant RECEIVED = GarbageNotifications.RECEIVED;
    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    private static final String TRANSACTION = "5800567260";
    private static final BigDecimal AMOUNT = new BigDecimal("9.99");

    static Stream<Named<ProcessorDriver>> drivers() {
        return ProcessorDrivers.load().all().values().stream().map(driver -> Named.of(driver.name(), driver));
    }

    static Stream<Arguments> driversAndGarbage() {
        return ProcessorDrivers.load().all().values().stream().flatMap(driver -> GarbageNotifications.all().stream()
                .map(garbage -> Arguments.of(Named.of(driver.name(), driver), garbage)));
    }

    // --- identity and declarations ---------------------------------------------------------------------------

    @Test
    void theThreeProcessorsAreRegisteredEachOnce() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(ProcessorDriver.class).forEach(driver -> names.add(driver.name()));

        assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrder("ccbill", "segpay", "epoch", "verotel",
            "netbilling", "commercegate", "nowpayments", "btcpay", "coinpayments");
        assertThat(ProcessorDrivers.load().all().keySet()).containsExactlyInAnyOrderElementsOf(names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void nameIsLowerCaseAndFindsTheDriver(ProcessorDriver driver) {
        assertThat(driver.name()).matches(LOWER_CASE_NAME);
        assertThat(ProcessorDrivers.load().driver(driver.name())).get().isInstanceOf(driver.getClass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void settingAndSecretNamesAreUniqueSnakeCaseAndDescribed(ProcessorDriver driver) {
        List<String> names = new ArrayList<>();
        driver.settings().forEach(setting -> names.add(setting.name()));
        driver.secrets().forEach(secret -> names.add(secret.name()));

        assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).matches(SNAKE_CASE));
        assertThat(driver.settings()).extracting(SettingSpec::description).allSatisfy(text -> assertThat(text).isNotBlank());
        assertThat(driver.secrets()).extracting(SecretSpec::description).allSatisfy(text -> assertThat(text).isNotBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void requiredSettingsHaveNoDefault(ProcessorDriver driver) {
        assertThat(driver.settings()).filteredOn(SettingSpec::required)
                .allSatisfy(setting -> assertThat(setting.defaultValue()).as(setting.name()).isNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void defaultSourceAddressesAreCidrRanges(ProcessorDriver driver) {
        assertThat(driver.defaultSourceAddresses()).allSatisfy(range -> assertThatCode(
                () -> com.fanzfinance.gateway.support.SourceAddresses.parse(range)).doesNotThrowAnyException());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void hasASimulatorWhoseAccountFitsItsDeclarations(ProcessorDriver driver) {
        SimulatedAccount account = simulator(driver).account();
        Set<String> settingNames = new HashSet<>();
        driver.settings().forEach(setting -> settingNames.add(setting.name()));
        Set<String> secretNames = new HashSet<>();
        driver.secrets().forEach(secret -> secretNames.add(secret.name()));

        assertThat(account.processor()).isEqualTo(driver.name());
        assertThat(settingNames).containsAll(account.settings().keySet());
        assertThat(secretNames).containsAll(account.secrets().keySet());
        driver.settings().stream().filter(SettingSpec::required)
                .forEach(setting -> assertThat(account.settings()).containsKey(setting.name()));
        driver.secrets().stream().filter(SecretSpec::required)
                .forEach(secret -> assertThat(account.secrets()).containsKey(secret.name()));
        assertThat(driver.accountProblems(account.merchantAccount())).as("a working account has no problems").isEmpty();
    }

    // --- garbage ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("driversAndGarbage")
    void verifyNeverThrowsOnGarbageAndProvesNothingWithASecret(ProcessorDriver driver, Garbage garbage) {
        Notification notification = garbage.forPath(hookPath(driver));
        MerchantAccount account = accountOf(driver);

        Verification verification = driver.verify(notification, account);

        assertThat(verification).isNotNull();
        if (verification instanceof Verification.Verified verified) {
            assertThat(verified.with())
                    .as("garbage may pass only the source check, and only for a processor that has one")
                    .isEqualTo(Verification.With.SOURCE_ONLY);
            assertThat(driver.defaultSourceAddresses()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("driversAndGarbage")
    void normaliseNeverThrowsOnGarbageAndFindsNoNotice(ProcessorDriver driver, Garbage garbage) {
        Notification notification = garbage.forPath(hookPath(driver));

        Normalised normalised = driver.normalise(notification, accountOf(driver));

        assertThat(normalised).isNotNull().isNotInstanceOf(Normalised.Notice.class);
    }

    // --- authentic notifications -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aSimulatedSaleVerifiesWithTheCurrentSecretAndNormalisesToThatSale(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        Notification sale = notification(driver, simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "USD"));

        assertThat(driver.verify(sale, simulator.account().merchantAccount()))
                .isEqualTo(authenticatesBySourceOnly(driver) ? Verification.sourceOnly() : Verification.current());
        PaymentNotice notice = notice(driver.normalise(sale, simulator.account().merchantAccount()));
        assertThat(notice.kind()).isEqualTo(PaymentKind.SALE);
        assertAmount(simulator, notice, AMOUNT);
        assertThat(notice.checkoutId()).isEqualTo(CHECKOUT.toString());
        assertThat(notice.transactionId()).isEqualTo(TRANSACTION);
        assertThat(notice.dedupeKey()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void theSameNotificationAlwaysHasTheSameDedupeKeyAndAnotherSaleAnother(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        MerchantAccount account = simulator.account().merchantAccount();
        SimulatedRequest sale = simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "EUR");

        String first = notice(driver.normalise(notification(driver, sale), account)).dedupeKey();
        String again = notice(driver.normalise(notification(driver, sale), account)).dedupeKey();
        String retried = notice(driver.normalise(sale.notification(hookPath(driver), simulator.sourceAddress(),
                RECEIVED.plus(Duration.ofMinutes(5))), account)).dedupeKey();
        String rebuilt = notice(driver.normalise(notification(driver,
                simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "EUR")), account)).dedupeKey();
        String other = notice(driver.normalise(notification(driver,
                simulator.sale(CHECKOUT, "5800567261", AMOUNT, "EUR")), account)).dedupeKey();

        assertThat(List.of(again, retried, rebuilt)).containsOnly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void everySimulatedKindIsAuthenticAndNormalisesToItsKindAmountAndParent(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        MerchantAccount account = simulator.account().merchantAccount();
        BigDecimal part = new BigDecimal("4.50");
        Map<PaymentKind, SimulatedRequest> requests = kinds(simulator, part);
        Set<String> dedupeKeys = new HashSet<>();

        assertThat(requests.keySet()).containsExactlyInAnyOrderElementsOf(simulator.kinds());
        requests.forEach((kind, request) -> {
            Notification notification = notification(driver, request);
            assertThat(driver.verify(notification, account)).as(kind.name()).satisfies(verification ->
                    assertAuthentic(driver, verification));
            PaymentNotice notice = notice(driver.normalise(notification, account));
            assertThat(notice.kind()).isEqualTo(kind);
            assertAmount(simulator, notice, kind == PaymentKind.SALE ? AMOUNT : part);
            if (kind != PaymentKind.SALE) {
                assertThat(List.of(String.valueOf(notice.parentTransactionId()), String.valueOf(notice.subscriptionId())))
                        .as("%s names its parent charge", kind).contains(TRANSACTION);
            }
            dedupeKeys.add(notice.dedupeKey());
        });
        assertThat(dedupeKeys).hasSameSizeAs(requests.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aTamperedNotificationFailsVerification(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        MerchantAccount account = simulator.account().merchantAccount();

        kinds(simulator, new BigDecimal("4.50")).forEach((kind, request) -> {
            Notification tampered = authenticatesBySourceOnly(driver)
                    ? fromOutsideTheAllowList(driver, simulator.tamper(request))
                    : notification(driver, simulator.tamper(request));
            assertThat(driver.verify(tampered, account)).as(kind.name()).isInstanceOf(Verification.Unauthenticated.class);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aSaleSignedWithAnotherSecretFailsVerification(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        if (authenticatesBySourceOnly(driver)) {
            SimulatedRequest sale = simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "USD");
            SimulatedAccount unlisted = new SimulatedAccount(driver.name(), simulator.account().currencies(),
                    simulator.account().settings(), Map.of(), List.of());
            assertThat(driver.verify(fromOutsideTheAllowList(driver, sale), simulator.account().merchantAccount()))
                    .isInstanceOf(Verification.Unauthenticated.class);
            assertThat(driver.verify(notification(driver, sale), unlisted.merchantAccount()))
                    .as("an account without ip_allow_list").isInstanceOf(Verification.Unauthenticated.class);
            return;
        }
        SimulatedProcessor impostor = simulator.signingWith(otherValues(simulator.account().secrets()));
        Notification sale = notification(driver, impostor.sale(CHECKOUT, TRANSACTION, AMOUNT, "USD"));

        assertThat(driver.verify(sale, simulator.account().merchantAccount()))
                .isInstanceOf(Verification.Unauthenticated.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void thePreviousSecretVerifiesOnlyWithinItsGracePeriod(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        Map<String, String> signedWith = simulator.account().secrets();
        Map<String, String> rotatedTo = otherValues(signedWith);
        Notification sale = notification(driver, simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "USD"));

        MerchantAccount withinGrace = simulator.account().merchantAccount(
                new MerchantAccount.Secrets(rotatedTo, signedWith, RECEIVED.plus(Duration.ofHours(1))));
        MerchantAccount graceEndsAsItArrives = simulator.account().merchantAccount(
                new MerchantAccount.Secrets(rotatedTo, signedWith, RECEIVED));
        MerchantAccount graceOver = simulator.account().merchantAccount(
                new MerchantAccount.Secrets(rotatedTo, signedWith, RECEIVED.minus(Duration.ofDays(1))));

        if (authenticatesBySourceOnly(driver)) {
            assertThat(List.of(withinGrace, graceEndsAsItArrives, graceOver))
                    .allSatisfy(account -> assertThat(driver.verify(sale, account)).isEqualTo(Verification.sourceOnly()));
            return;
        }
        assertThat(driver.verify(sale, withinGrace)).isEqualTo(Verification.previous());
        assertThat(driver.verify(sale, graceEndsAsItArrives)).isInstanceOf(Verification.Unauthenticated.class);
        assertThat(driver.verify(sale, graceOver)).isInstanceOf(Verification.Unauthenticated.class);
    }

    // --- secrets ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void noSecretValueAppearsInTheAccountOrInAnythingTheDriverReturnsOrThrows(ProcessorDriver driver) {
        SimulatedProcessor simulator = simulator(driver);
        Map<String, String> secrets = everySecret(driver, simulator.account().secrets());
        Map<String, String> previous = otherValues(secrets);
        MerchantAccount account = simulator.account().merchantAccount(
                new MerchantAccount.Secrets(secrets, previous, RECEIVED.plus(Duration.ofHours(1))));
        List<String> values = new ArrayList<>(secrets.values());
        values.addAll(previous.values());

        List<Object> shown = new ArrayList<>();
        shown.add(account);
        shown.add(account.secrets());
        List<Notification> notifications = new ArrayList<>();
        kinds(simulator, new BigDecimal("4.50")).values().forEach(request -> {
            notifications.add(notification(driver, request));
            notifications.add(notification(driver, simulator.tamper(request)));
        });
        GarbageNotifications.all().forEach(garbage -> notifications.add(garbage.forPath(hookPath(driver))));
        for (Notification notification : notifications) {
            shown.add(driver.verify(notification, account));
            shown.add(driver.normalise(notification, account));
        }
        shown.add(driver.acknowledgement(account));
        shown.add(driver.checkout(subscription(), account));
        for (MerchantAccount lacking : accountsLackingOneEntry(driver, simulator.account(), secrets)) {
            try {
                shown.add(driver.checkout(subscription(), lacking));
            } catch (RuntimeException e) {
                shown.add(e);
            }
        }

        for (Object object : shown) {
            String text = String.valueOf(object);
            assertThat(values).as("secret values in %s", text.length() > 300 ? text.substring(0, 300) + "…" : text)
                    .noneMatch(text::contains);
        }
    }

    // --- acknowledgement and checkout ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void theAcknowledgementIsShortPlainText(ProcessorDriver driver) {
        Acknowledgement acknowledgement = driver.acknowledgement(accountOf(driver));

        assertThat(acknowledgement.contentType()).startsWith("text/");
        assertThat(acknowledgement.body()).isNotBlank().hasSizeLessThanOrEqualTo(200)
                .doesNotContainPattern("[\\p{Cntrl}&&[^\\t]]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aConfiguredCheckoutPassesTheCheckoutIdThrough(ProcessorDriver driver) {
        MerchantAccount account = simulator(driver).account().merchantAccount();

        for (CheckoutRequest request : List.of(subscription(), purchase())) {
            CheckoutAction action = driver.checkout(request, account);
            assertThat(action).as(request.product()).isNotNull();
            assertThat(action.passThrough().value()).isEqualTo(request.checkoutId().toString());
            assertThat(action.passThrough().field()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aCheckoutWithoutARequiredSettingIsNotConfigured(ProcessorDriver driver) {
        SimulatedAccount configured = simulator(driver).account();
        for (SettingSpec setting : driver.settings()) {
            if (setting.required()) {
                Map<String, String> settings = new HashMap<>(configured.settings());
                settings.remove(setting.name());
                MerchantAccount lacking = new SimulatedAccount(configured.processor(), configured.currencies(), settings,
                        configured.secrets(), configured.ipAllowList()).merchantAccount();
                assertThatThrownBy(() -> driver.checkout(subscription(), lacking)).as(setting.name())
                        .isInstanceOf(CheckoutNotConfiguredException.class);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aCheckoutLackingAnythingOrAskedForAnythingOddIsNotConfiguredOrStillPassesTheIdThrough(ProcessorDriver driver) {
        SimulatedAccount configured = simulator(driver).account();
        List<MerchantAccount> accounts = new ArrayList<>(accountsLackingOneEntry(driver, configured, configured.secrets()));
        accounts.add(new SimulatedAccount(driver.name(), List.of(), Map.of(), Map.of(), List.of()).merchantAccount());
        List<CheckoutRequest> requests = List.of(subscription(), purchase(),
                new CheckoutRequest(CHECKOUT, "tip", new BigDecimal("0.001"), 0, "XTS", 0, 0, "", null, null),
                new CheckoutRequest(CHECKOUT, "bundle", new BigDecimal("123456789012345.99"), 12345678901234599L, "JPY",
                        -1, -1, "\u0000\n<script>", "not a url", ""));

        for (MerchantAccount account : accounts) {
            for (CheckoutRequest request : requests) {
                try {
                    CheckoutAction action = driver.checkout(request, account);
                    assertThat(action.passThrough().value()).isEqualTo(request.checkoutId().toString());
                } catch (CheckoutNotConfiguredException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                } catch (RuntimeException e) {
                    fail("checkout threw " + e + " for " + request.product() + " with settings "
                            + account.settings().keySet() + " and secrets " + account.secrets().current().keySet(), e);
                }
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static SimulatedProcessor simulator(ProcessorDriver driver) {
        return SimulatedProcessors.forProcessor(driver.name()).orElseThrow(() -> new AssertionError(
                "driver " + driver.name() + " has no simulator in SimulatedProcessors"));
    }

    /** The simulator's account, or an empty one for a driver without a simulator (for the garbage checks). */
    private static MerchantAccount accountOf(ProcessorDriver driver) {
        return SimulatedProcessors.forProcessor(driver.name()).map(simulator -> simulator.account().merchantAccount())
                .orElseGet(() -> new SimulatedAccount(driver.name(), List.of(), Map.of(), Map.of(), List.of())
                        .merchantAccount());
    }

    private static String hookPath(ProcessorDriver driver) {
        return "/hooks/" + driver.name() + "/" + SimulatedAccount.ACCOUNT_ID;
    }

    private static Notification notification(ProcessorDriver driver, SimulatedRequest request) {
        return request.notification(hookPath(driver), simulator(driver).sourceAddress(), RECEIVED);
    }

    /**
     * A driver declaring no secret (CommerceGate) can only authenticate by the sender's address: it signs nothing, so a
     * tampered or impostor notification is told apart only by coming from outside the account's ip_allow_list.
     */
    private static boolean authenticatesBySourceOnly(ProcessorDriver driver) {
        return driver.secrets().isEmpty();
    }

    private static Notification fromOutsideTheAllowList(ProcessorDriver driver, SimulatedRequest request) {
        String outside = "203.0.113.250";
        assertThat(com.fanzfinance.gateway.support.SourceAddresses.allowed(outside, simulator(driver).account().ipAllowList()))
                .as("the simulator's ip_allow_list holds " + outside).isFalse();
        return request.notification(hookPath(driver), outside, RECEIVED);
    }

    private static PaymentNotice notice(Normalised normalised) {
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        return ((Normalised.Notice) normalised).notice();
    }

    /** The amount in USD, or none for a processor whose events carry none (the server takes the checkout's). */
    private static void assertAmount(SimulatedProcessor simulator, PaymentNotice notice, BigDecimal expected) {
        if (simulator.amountFromCheckout()) {
            assertThat(notice.amount()).as("no amount: the checkout's is taken").isNull();
        } else {
            assertThat(notice.amount()).isEqualByComparingTo(expected);
            assertThat(notice.currency()).isEqualTo("USD");
        }
    }

    /** Proved with the current secret, or (unsigned events) by source address for a processor that checks it. */
    private static void assertAuthentic(ProcessorDriver driver, Verification verification) {
        if (verification.equals(Verification.sourceOnly())) {
            assertThat(!driver.defaultSourceAddresses().isEmpty() || authenticatesBySourceOnly(driver))
                    .as("source_only without source ranges").isTrue();
        } else {
            assertThat(verification).isEqualTo(Verification.current());
        }
    }

    /** One notification of each kind the simulator sends; reversals and the rebill refer to the sale's transaction. */
    private static Map<PaymentKind, SimulatedRequest> kinds(SimulatedProcessor simulator, BigDecimal part) {
        Map<PaymentKind, SimulatedRequest> requests = new LinkedHashMap<>();
        requests.put(PaymentKind.SALE, simulator.sale(CHECKOUT, TRANSACTION, AMOUNT, "USD"));
        if (simulator.kinds().contains(PaymentKind.REBILL)) {
            requests.put(PaymentKind.REBILL, simulator.rebill(TRANSACTION, "5800567299", part, "USD"));
        }
        if (simulator.kinds().contains(PaymentKind.REFUND)) {
            requests.put(PaymentKind.REFUND, simulator.refund(TRANSACTION, part, "USD"));
        }
        if (simulator.kinds().contains(PaymentKind.CHARGEBACK)) {
            requests.put(PaymentKind.CHARGEBACK, simulator.chargeback(TRANSACTION, part, "USD"));
        }
        return requests;
    }

    /** The same secret names with other values. */
    private static Map<String, String> otherValues(Map<String, String> secrets) {
        Map<String, String> other = new HashMap<>();
        secrets.forEach((name, value) -> other.put(name, "rotated-" + new StringBuilder(value).reverse()));
        return other;
    }

    /** {@code secrets} plus a recognisable value for every secret the driver declares and they lack. */
    private static Map<String, String> everySecret(ProcessorDriver driver, Map<String, String> secrets) {
        Map<String, String> all = new HashMap<>(secrets);
        driver.secrets().forEach(secret -> all.putIfAbsent(secret.name(), "canary-" + secret.name() + "-Jx81Rq5vWm0"));
        return all;
    }

    /** The configured account without each one of its settings, then without each one of {@code secrets}. */
    private static List<MerchantAccount> accountsLackingOneEntry(ProcessorDriver driver, SimulatedAccount configured,
                                                                 Map<String, String> secrets) {
        List<MerchantAccount> accounts = new ArrayList<>();
        for (SettingSpec setting : driver.settings()) {
            Map<String, String> settings = new HashMap<>(configured.settings());
            settings.put(setting.name(), " ");
            accounts.add(account(configured, settings, secrets));
            settings.remove(setting.name());
            accounts.add(account(configured, settings, secrets));
        }
        for (SecretSpec secret : driver.secrets()) {
            Map<String, String> lacking = new HashMap<>(secrets);
            lacking.remove(secret.name());
            accounts.add(account(configured, configured.settings(), lacking));
        }
        return accounts;
    }

    private static MerchantAccount account(SimulatedAccount configured, Map<String, String> settings,
                                           Map<String, String> secrets) {
        return new SimulatedAccount(configured.processor(), configured.currencies(), settings, secrets,
                configured.ipAllowList()).merchantAccount();
    }

    private static CheckoutRequest subscription() {
        return new CheckoutRequest(CHECKOUT, "subscription", AMOUNT, 999, "USD", 30, 12, "Monthly subscription",
                "https://fan.example.test/paid", "https://fan.example.test/cancelled");
    }

    private static CheckoutRequest purchase() {
        return new CheckoutRequest(UUID.fromString("9d0c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a"), "ppv",
                new BigDecimal("20.00"), 2000, "EUR", 30, 0, "Pay-per-view video", null, null);
    }
}
