package com.fanzfinance.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The finance console in a real headless Chromium against a real ledger server and PostgreSQL: signing in,
 * every page, a statement filtered and downloaded, a payout approved, held and released, a parked notification
 * replayed, a reconciliation entry approved, reports with charts and CSV, the audit log of it all — and a
 * brand's key that sees nothing of another brand. The steps share one world and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleEndToEndTest {
    @TempDir
    static Path work;
    private static ConsoleIdentity identity;
    private static ConsoleWorld world;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        identity = new ConsoleIdentity(work.resolve("identity"));
        identity.person("girlfanz", "sam@girlfanz.test", "staff");
        identity.person("girlfanz", "fay@girlfanz.test", "fan");
        world = new ConsoleWorld(work.resolve("server"), identity.ledgerSettings());
        Path screenshots = Path.of(System.getProperty("fanz.console.screenshots", "target/console-screenshots"));
        browser = new ConsoleBrowser(world.server.base(), work.resolve("browser"), screenshots);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (world != null) {
            world.close();
        }
        if (identity != null) {
            identity.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(browser.consoleErrors()).as("the browser console").isEmpty();
    }

    private static void signIn(String key) {
        browser.open("#/");
        if (!browser.driver.findElements(By.id("sign-out")).isEmpty() && browser.driver.findElement(By.id("sign-out")).isDisplayed()) {
            browser.driver.findElement(By.id("sign-out")).click();
        }
        WebElement field = browser.find(By.id("api-key"));
        field.sendKeys(key);
        field.sendKeys(Keys.ENTER);
        browser.find(By.id("sign-out"));
        browser.settle();
    }

    /** Every control of the page has a label, and no value the page shows is a slip of the script. */
    private static void checkLabelled(String page) {
        assertThat(browser.unlabelledControls()).as("controls without a label on " + page).isEmpty();
        assertThat(browser.mainText()).as("the text of " + page)
            .doesNotContainPattern("\\bnull\\b|\\bundefined\\b|\\bNaN\\b|\\[object Object\\]");
    }

    @Test
    @Order(1)
    void refusesAWrongKeyAndSignsInWithARightOne() {
        browser.open("#/");
        browser.screenshot("sign-in");
        WebElement field = browser.find(By.id("api-key"));
        field.sendKeys("fzk_not_a_real_key_000000000000");
        field.sendKeys(Keys.ENTER);
        browser.waitForText(By.id("sign-in-error"), "unknown or revoked");
        assertThat(browser.consoleErrorsBut(401)).as("only the wrong key's 401").isEmpty();
        field.clear();
        signIn(world.girlfanzFinanceKey);
        List<String> pages = browser.driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
        assertThat(pages).containsExactly("Overview", "Reports", "Statements", "Payouts", "Webhook inbox", "Reconciliation",
            "Merchant accounts", "Audit log");
        assertThat(browser.driver.findElements(By.cssSelector("#tenant-select option")).stream().map(WebElement::getText))
            .containsExactly("girlfanz");
    }

    @Test
    @Order(2)
    void overviewShowsTheDaysMoneyAndWhatNeedsAttention() {
        browser.open("#/overview");
        String text = browser.mainText();
        // 120.00 + 49.99 + 30.00 + 19.99 of girlfanz today; boyfanz's 77.00 is not girlfanz's.
        assertThat(browser.find(By.cssSelector("[data-figure='sales-USD']")).getText()).isEqualTo("219.98 USD");
        assertThat(text).contains("Refunds\n19.99 USD").doesNotContain("77.00");
        assertThat(browser.find(By.cssSelector("[data-figure='payouts-USD']")).getText()).isEqualTo("135.00 USD");
        assertThat(browser.driver.findElement(By.id("alerts")).getText()).contains("parked");
        checkLabelled("overview");
        browser.screenshot("overview");
    }

    @Test
    @Order(3)
    void reportsShowEachStatementWithAChartAndItsCsv() {
        browser.open("#/reports?kind=trial-balance");
        assertThat(browser.find(By.id("report")).getText()).contains("Total (balanced)");
        assertThat(browser.driver.findElements(By.cssSelector("#report svg.chart"))).isNotEmpty();
        checkLabelled("trial balance");
        browser.screenshot("trial-balance");
        browser.driver.findElement(By.id("report-csv")).click();
        String csv = read(browser.downloaded("trial-balance.csv"));
        assertThat(csv).startsWith("ledger,currency,code,type,name,tenant,accounts,debit,credit").contains("balanced")
            .doesNotContain("boyfanz");

        browser.driver.findElement(By.linkText("Income statement")).click();
        browser.waitForText(By.cssSelector("main h1"), "Income statement");
        browser.settle();
        assertThat(browser.find(By.id("report")).getText()).contains("USD: net income");
        assertThat(browser.driver.findElements(By.cssSelector("#report svg.chart"))).isNotEmpty();
        browser.screenshot("income-statement");

        browser.driver.findElement(By.linkText("Balance sheet")).click();
        browser.waitForText(By.cssSelector("main h1"), "Balance sheet");
        browser.settle();
        assertThat(browser.find(By.id("report")).getText()).contains("USD: balances");
        browser.screenshot("balance-sheet");
    }

    @Test
    @Order(4)
    void filtersACreatorsStatementAndDownloadsItAsCsv() {
        browser.open("#/statements");
        browser.find(By.cssSelector("#statement-filters input[name='creator']")).sendKeys("c_ana");
        browser.driver.findElement(By.cssSelector("#statement-filters button[type='submit']")).click();
        browser.find(By.id("statement"));
        browser.settle();
        browser.waitForText(By.id("statement"), "Postings");
        String statement = browser.find(By.id("statement")).getText();
        assertThat(statement).contains("creator-payables (2100), USD, brand girlfanz").contains("Closing balance")
            .contains("120.00 USD pending");
        assertThat(browser.driver.findElements(By.cssSelector("#statement tbody tr"))).hasSizeGreaterThanOrEqualTo(2);
        checkLabelled("statements");
        browser.screenshot("statement");

        browser.driver.findElement(By.id("statement-csv")).click();
        String csv = read(waitForFile("statement-"));
        assertThat(csv).startsWith("timestamp,time,transfer_id,kind,counterparty_account_id,code,debit,credit")
            .contains(",opening,").contains(",closing,");

        // A period after everything: no postings, the balance carried in.
        browser.open("#/statements?creator=c_ana&from=2099-01-01");
        browser.waitForText(By.id("statement"), "Nothing to show.");
    }

    @Test
    @Order(5)
    void approvesALargePayoutHoldsAndReleasesAnother() {
        browser.open("#/payouts?status=held");
        assertThat(browser.mainText()).contains("awaiting approval").contains("120.00 USD").contains("15.00 USD");
        checkLabelled("payouts");
        browser.screenshot("payouts");

        browser.find(By.cssSelector("button[data-action='approve']")).click();
        browser.confirm("checked the creator's sales, ok to pay");
        browser.waitForText(By.id("payouts"), "approved by");
        assertThat(world.payoutNow(world.largePayout).path("approval").path("status").asText()).isEqualTo("approved");

        List<WebElement> holds = browser.driver.findElements(By.cssSelector("button[data-action='hold']"));
        WebElement smallHold = holds.stream().filter(button -> button.getAttribute("aria-label").contains("15.00 USD"))
            .findFirst().orElseThrow();
        smallHold.click();
        WebElement dialog = browser.find(By.id("confirm"));
        dialog.findElement(By.id("confirm-ok")).click();
        assertThat(browser.find(By.id("confirm-error")).getText()).isEqualTo("Please give a reason.");
        browser.confirm("bank details look wrong, asking the creator");
        browser.waitForText(By.id("payouts"), "on hold: bank details look wrong");
        JsonNode held = world.payoutNow(world.smallPayout);
        assertThat(held.path("operator_hold").path("reason").asText()).isEqualTo("bank details look wrong, asking the creator");

        browser.find(By.cssSelector("button[data-action='release']")).click();
        browser.confirm("creator confirmed the account");
        browser.waiting().until(d -> world.payoutNow(world.smallPayout).path("operator_hold").isNull());
    }

    @Test
    @Order(6)
    void theConfirmationDialogWorksWithTheKeyboard() {
        browser.open("#/payouts?status=held");
        WebElement hold = browser.find(By.cssSelector("button[data-action='hold']"));
        hold.sendKeys(Keys.ENTER);
        WebElement note = browser.find(By.id("confirm-note"));
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(note);
        note.sendKeys(Keys.ESCAPE);
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-action")).isEqualTo("hold");
        assertThat(world.payoutNow(world.smallPayout).path("operator_hold").isNull()).isTrue();
    }

    @Test
    @Order(7)
    void makesABatchAndDownloadsItsNachaFile() {
        browser.open("#/payouts?status=held");
        browser.find(By.cssSelector("#batch-form button[type='submit']")).click();
        browser.confirm("weekly ACH run");
        WebElement download = browser.find(By.cssSelector("button[data-action='download-batch']"));
        browser.screenshot("payout-batches");
        download.click();
        String nacha = read(waitForFile("batch-"));
        assertThat(nacha).startsWith("101 231380104");
        assertThat(nacha.lines().filter(line -> line.startsWith("6"))).hasSize(2);
        assertThat(world.payoutNow(world.largePayout).path("status").asText()).isEqualTo("batched");
    }

    @Test
    @Order(8)
    void replaysAParkedNotification() {
        browser.open("#/webhooks");
        assertThat(browser.mainText()).contains("parked");
        browser.find(By.cssSelector("button[data-event='" + world.parkedEvent + "']")).click();
        browser.waitForText(By.id("raw"), "transactionID=r-lost-1");
        checkLabelled("webhook inbox");
        browser.screenshot("webhook-inbox");
        int before = world.event(world.parkedEvent).path("history").size();
        browser.find(By.id("replay")).click();
        browser.confirm("retrying after the sale was chased with Verotel");
        browser.waitForText(By.id("replay-result"), "Decided again: parked");
        assertThat(world.event(world.parkedEvent).path("history").size()).isGreaterThan(before);
    }

    @Test
    @Order(9)
    void approvesAProposedReconciliationEntry() {
        browser.open("#/reconciliation");
        browser.find(By.linkText(world.reconciliation.substring(0, 8))).click();
        browser.waitForText(By.cssSelector("main h1"), "Reconciliation " + world.reconciliation.substring(0, 8));
        browser.settle();
        assertThat(browser.mainText()).contains("fee-not-booked").contains("35.00 USD");
        // t-bea-1: Verotel charged 3.60 where the ledger booked 3.30; shown in money, not minor units.
        WebElement differing = browser.find(By.xpath("//table[caption='Groups that matched but differ']//tbody/tr"));
        assertThat(differing.getText()).contains("30.00 USD").contains("3.60 USD").contains("3.30 USD")
            .contains("0.00 USD, 0.30 USD");
        browser.driver.findElement(By.linkText("On the statement only (2)")).click();
        browser.waitForText(By.cssSelector("main"), "t-unknown-9");
        checkLabelled("reconciliation");
        browser.screenshot("reconciliation");
        WebElement row = browser.driver.findElements(By.cssSelector("tr.adjustment-row")).stream()
            .filter(candidate -> candidate.getText().contains("fee-not-booked")).findFirst().orElseThrow();
        row.findElement(By.cssSelector("button[data-action='approve-adjustment']")).click();
        browser.confirm("monthly fee per the Verotel invoice");
        browser.waiting().until(d -> d.findElements(By.cssSelector("tr.adjustment-row")).stream()
            .anyMatch(candidate -> candidate.getText().contains("fee-not-booked") && candidate.getText().contains("posted")));
    }

    @Test
    @Order(10)
    void showsMerchantAccountsHealth() {
        browser.open("#/merchants");
        browser.waitForText(By.id("main"), "Verotel USD");
        assertThat(browser.mainText()).contains("ACH via First Bank").doesNotContain("BoyFanz");
        browser.screenshot("merchant-accounts");
    }

    @Test
    @Order(11)
    void theAuditLogHoldsEveryActionWithItsNote() {
        browser.open("#/audit");
        String text = browser.mainText();
        assertThat(text).contains("checked the creator's sales, ok to pay", "bank details look wrong, asking the creator",
            "creator confirmed the account", "weekly ACH run", "retrying after the sale was chased with Verotel",
            "monthly fee per the Verotel invoice");
        assertThat(text).contains("/approve").contains("/replay");
        checkLabelled("audit log");
        browser.screenshot("audit-log");
    }

    @Test
    @Order(12)
    void anotherBrandsKeySeesOnlyItsBrand() {
        signIn(world.boyfanzFinanceKey);
        assertThat(browser.driver.findElements(By.cssSelector("#tenant-select option")).stream().map(WebElement::getText))
            .containsExactly("boyfanz");
        browser.open("#/overview");
        assertThat(browser.find(By.cssSelector("[data-figure='sales-USD']")).getText()).isEqualTo("77.00 USD");
        browser.open("#/payouts");
        assertThat(browser.find(By.id("payouts")).getText()).contains("Nothing to show.");
        browser.open("#/webhooks?status=any");
        assertThat(browser.mainText()).doesNotContain("r-lost-1").contains("verotel");
        browser.open("#/reports?kind=trial-balance&group=account");
        assertThat(browser.find(By.id("report")).getText()).doesNotContain("girlfanz").contains("boyfanz");
        browser.open("#/merchants");
        browser.waitForText(By.id("main"), "Verotel BoyFanz");
        assertThat(browser.mainText()).doesNotContain("Verotel USD").doesNotContain("ACH via First Bank");
        browser.open("#/audit");
        assertThat(browser.mainText()).doesNotContain("weekly ACH run");

        browser.open("#/reconciliation?id=" + world.reconciliation);
        assertThat(browser.mainText()).contains("Not found");
        browser.open("#/statements?creator=c_ana");
        assertThat(browser.mainText()).contains("no ledger accounts yet").doesNotContain("creator-payables");
        assertThat(browser.consoleErrorsBut(404)).as("only the 404s of girlfanz's objects").isEmpty();

        // The key is revoked while someone uses it: the next page signs them out.
        String keyId = world.server.get("/v1/whoami", world.boyfanzFinanceKey).json().path("id").asText();
        ConsoleWorld.ok(world.server.delete("/v1/admin/keys/" + keyId, com.fanzfinance.server.TestServer.ADMIN_KEY), 204);
        browser.open("#/payouts");
        assertThat(browser.find(By.id("api-key")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("top")).isDisplayed()).isFalse();
        assertThat(browser.consoleErrorsBut(401)).as("only the revoked key's 401").isEmpty();
    }

    @Test
    @Order(13)
    void signsInWithSingleSignOnAsStaffWhoReadsButCannotAct() {
        browser.open("#/");
        if (browser.driver.findElement(By.id("sign-out")).isDisplayed()) {
            browser.driver.findElement(By.id("sign-out")).click();
        }
        ssoSignIn("fay@girlfanz.test");
        browser.waitForText(By.id("sign-in-error"), "give no access");
        assertThat(browser.consoleErrorsBut(403)).as("only the fan's 403").isEmpty();

        ssoSignIn("sam@girlfanz.test");
        browser.find(By.id("sign-out"));
        browser.settle();
        assertThat(browser.driver.findElement(By.id("who-name")).getText()).isEqualTo("sam@girlfanz.test");
        assertThat(browser.driver.findElements(By.cssSelector("#tenant-select option")).stream().map(WebElement::getText))
            .containsExactly("girlfanz");
        assertThat(browser.find(By.cssSelector("[data-figure='sales-USD']")).getText()).isEqualTo("219.98 USD");
        browser.open("#/payouts");
        assertThat(browser.find(By.id("payouts")).getText()).contains("120.00 USD");
        assertThat(browser.driver.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(browser.driver.findElements(By.id("batch-form"))).isEmpty();
        browser.open("#/reconciliation?id=" + world.reconciliation);
        assertThat(browser.mainText()).contains("fee-difference");
        assertThat(browser.driver.findElements(By.cssSelector("button[data-action$='-adjustment']"))).isEmpty();
        browser.open("#/webhooks");
        browser.find(By.cssSelector("button[data-event='" + world.parkedEvent + "']")).click();
        browser.waitForText(By.id("raw"), "transactionID=r-lost-1");
        assertThat(browser.driver.findElements(By.id("replay"))).isEmpty();
    }

    @Test
    @Order(14)
    void aKeyOfBothBrandsChoosesBetweenThem() {
        signIn(world.bothBrandsKey);
        assertThat(browser.driver.findElements(By.cssSelector("#tenant-select option")).stream().map(WebElement::getText))
            .containsExactlyInAnyOrder("All my brands", "girlfanz", "boyfanz");
        browser.open("#/overview");
        assertThat(browser.find(By.cssSelector("[data-figure='sales-USD']")).getText()).isEqualTo("296.98 USD");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("tenant-select"))).selectByValue("boyfanz");
        browser.waitForText(By.cssSelector("[data-figure='sales-USD']"), "77.00 USD");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("tenant-select"))).selectByValue("");
        browser.waitForText(By.cssSelector("[data-figure='sales-USD']"), "296.98 USD");

        // Creator ids are per brand: under "All my brands" the statement asks which brand first.
        browser.open("#/statements?creator=c_ana");
        assertThat(browser.mainText()).contains("Choose the brand of the creator").doesNotContain("creator-payables");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.cssSelector("#statement-filters select[name='brand']")))
            .selectByValue("girlfanz");
        browser.driver.findElement(By.cssSelector("#statement-filters button[type='submit']")).click();
        browser.waitForText(By.id("main"), "creator-payables (2100), USD, brand girlfanz");
        checkLabelled("statements of a two-brand key");
    }

    @Test
    @Order(15)
    void showsMoneyAtEachCurrencysScaleWithoutFloatingPoint() {
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) browser.driver.executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            import('/console/money.js').then((money) => {
              money.setCurrencies([{code: 'USD', scale: 2}, {code: 'BTC', scale: 8}, {code: 'JPY', scale: 0}]);
              done([money.minor('123456789', 'USD'), money.minor('-5', 'USD'), money.minor('1', 'BTC'),
                money.minor('1234567', 'JPY'), money.minor('9223372036854775807', 'USD'), money.minor('15', 'XYZ'),
                money.decimal('-1234.50', 'USD'), money.minor('0', 'USD')]);
            });""");
        assertThat(shown).containsExactly("1,234,567.89 USD", "\u22120.05 USD", "0.00000001 BTC", "1,234,567 JPY",
            "92,233,720,368,547,758.07 USD", "15 minor units of XYZ", "\u22121,234.50 USD", "0.00 USD");
    }

    private static void ssoSignIn(String email) {
        WebElement address = browser.find(By.id("sso-email"));
        address.clear();
        address.sendKeys(email);
        WebElement password = browser.driver.findElement(By.id("sso-password"));
        password.clear();
        password.sendKeys(ConsoleIdentity.PASSWORD);
        WebElement brand = browser.driver.findElement(By.id("sso-brand"));
        brand.clear();
        brand.sendKeys("girlfanz");
        browser.driver.findElement(By.cssSelector("#sso-form button[type='submit']")).click();
    }

    private static Path waitForFile(String prefix) {
        browser.waiting().until(d -> {
            String[] names = browser.downloads.toFile().list();
            return names != null && java.util.Arrays.stream(names).anyMatch(name -> name.startsWith(prefix) && !name.endsWith(".crdownload"));
        });
        String name = java.util.Arrays.stream(browser.downloads.toFile().list())
            .filter(candidate -> candidate.startsWith(prefix) && !candidate.endsWith(".crdownload")).findFirst().orElseThrow();
        return browser.downloads.resolve(name);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
