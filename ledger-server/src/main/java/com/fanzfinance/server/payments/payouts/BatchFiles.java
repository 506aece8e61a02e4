package com.fanzfinance.server.payments.payouts;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fanzfinance.payouts.ach.BankingDays;
import com.fanzfinance.payouts.ach.NachaBatchSpec;
import com.fanzfinance.payouts.ach.NachaEntry;
import com.fanzfinance.payouts.ach.NachaFileSpec;
import com.fanzfinance.payouts.ach.NachaOffset;
import com.fanzfinance.payouts.ach.NachaWriter;
import com.fanzfinance.payouts.sepa.CreditTransfer;
import com.fanzfinance.payouts.sepa.EpcText;
import com.fanzfinance.payouts.sepa.Pain001Spec;
import com.fanzfinance.payouts.sepa.Pain001Version;
import com.fanzfinance.payouts.sepa.Pain001Writer;
import com.fanzfinance.server.payments.MerchantAccounts;

/**
 * The file of a payout batch (PAYMENTS-API §6): a NACHA file for {@code ach}, a pain.001 for {@code sepa}, made
 * from the batch's payouts and the rail account's settings. Pure: the same inputs give the same bytes.
 */
final class BatchFiles {
    static final String NACHA_TYPE = "text/plain";
    static final String PAIN_TYPE = "application/xml";
    private static final String FILE_ID_MODIFIERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Files one origin may send one destination in a day: one per file id modifier. */
    static final int FILES_PER_DAY = FILE_ID_MODIFIERS.length();

    private BatchFiles() {
    }

    /** One payout of a batch: its id, amount, payee name and destination (the payee's rail details then). */
    record Line(java.util.UUID payoutId, long amount, String name, Map<String, String> destination, String railReference) {
        Line withReference(String reference) {
            return new Line(payoutId, amount, name, destination, reference);
        }
    }

    /** Whether a line pays a business account (a CCD entry) rather than an individual's (PPD). */
    static boolean isBusiness(Line line) {
        return "business".equals(line.destination().get("holder_type"));
    }

    /** A made file: its bytes, media type and format name. */
    record File(byte[] content, String contentType, String format) {
    }

    /** The effective (ACH) or execution (SEPA) date when the batch names none: the next banking day after today. */
    static LocalDate defaultDate(String rail, LocalDate today) {
        return rail.equals(RailAccounts.ACH) ? BankingDays.nextBankingDay(today) : nextTargetDay(today);
    }

    /** Whether payments can be dated {@code day} on the rail. */
    static boolean isBusinessDay(String rail, LocalDate day) {
        return rail.equals(RailAccounts.ACH) ? BankingDays.isBankingDay(day) : isTargetDay(day);
    }

    /** The trace number of the {@code sequence}th ACH payout of an account: ODFI id + 7 digits. */
    static String traceNumber(MerchantAccounts.Account account, long sequence) {
        return account.settings().get("odfi_identification") + String.format(Locale.ROOT, "%07d", sequence % 10_000_000L);
    }

    /** The file id modifier of the day's file after {@code filesEarlierToday} others (A–Z, then 0–9). */
    static char fileIdModifier(int filesEarlierToday) {
        return FILE_ID_MODIFIERS.charAt(filesEarlierToday);
    }

    /** An ACH file: one batch per SEC code (PPD for individuals, CCD for businesses), credits 22/32. */
    static File nacha(MerchantAccounts.Account account, java.util.UUID batchId, List<Line> lines, LocalDate effectiveDate,
                      OffsetDateTime created, char fileIdModifier) {
        Map<String, String> settings = account.settings();
        List<NachaBatchSpec> batches = new ArrayList<>();
        for (String sec : List.of("PPD", "CCD")) {
            List<NachaEntry> entries = new ArrayList<>();
            for (Line line : lines) {
                if (isBusiness(line) == sec.equals("CCD")) {
                    entries.add(entry(line));
                }
            }
            if (!entries.isEmpty()) {
                batches.add(new NachaBatchSpec(sec, ascii(settings.get("company_name"), 16), "",
                    settings.get("company_identification"), ascii(settings.getOrDefault("entry_description", "PAYOUT"), 10),
                    "", effectiveDate, settings.get("odfi_identification"), batches.size() + 1, entries,
                    offset(settings)));
            }
        }
        NachaFileSpec spec = new NachaFileSpec(settings.get("immediate_destination"),
            ascii(settings.get("immediate_destination_name"), 23), settings.get("immediate_origin"),
            ascii(settings.get("immediate_origin_name"), 23), created.toLocalDate(), created.toLocalTime().withSecond(0).withNano(0),
            fileIdModifier, ascii(settings.getOrDefault("reference_code", batchId.toString().substring(0, 8)), 8), batches);
        return new File(NachaWriter.write(spec).getBytes(StandardCharsets.US_ASCII), NACHA_TYPE, "nacha");
    }

    private static NachaEntry entry(Line line) {
        Map<String, String> destination = line.destination();
        int code = "savings".equals(destination.get("account_type")) ? 32 : 22;
        return new NachaEntry(code, destination.get("routing_number"), destination.get("account_number"), line.amount(),
            identification(line.payoutId()), ascii(line.name(), 22), "", line.railReference());
    }

    /** The offset (balancing) debit of a batch, when the account names its own account. */
    private static NachaOffset offset(Map<String, String> settings) {
        String text = settings.get("offset_account");
        if (text == null) {
            return null;
        }
        RailAccounts.OffsetAccount offset = RailAccounts.OffsetAccount.parse(text).orElseThrow();
        return new NachaOffset(offset.routingNumber(), offset.accountNumber(), offset.savings(),
            ascii(settings.get("company_name"), 22));
    }

    /** First 15 characters of the payout id without dashes: what the bank shows and returns. */
    static String identification(java.util.UUID payoutId) {
        return payoutId.toString().replace("-", "").substring(0, 15).toUpperCase(Locale.ROOT);
    }

    /** A SEPA credit transfer initiation, pain.001.001.09 or .03 as the account says. */
    static File pain(MerchantAccounts.Account account, java.util.UUID batchId, List<Line> lines, LocalDate executionDate,
                     OffsetDateTime created) {
        Map<String, String> settings = account.settings();
        List<CreditTransfer> transfers = new ArrayList<>();
        for (Line line : lines) {
            transfers.add(new CreditTransfer(line.railReference(), line.amount(), line.name(), line.destination().get("iban"),
                line.destination().get("bic"), "Payout " + line.railReference()));
        }
        String messageId = batchId.toString().replace("-", "");
        Pain001Spec spec = new Pain001Spec(messageId, created.withNano(0), settings.get("initiating_party_name"), messageId,
            executionDate, settings.get("debtor_name"), settings.get("debtor_iban"), settings.get("debtor_bic"), transfers);
        Pain001Version version = "03".equals(settings.get("pain_version")) ? Pain001Version.V03 : Pain001Version.V09;
        return new File(Pain001Writer.write(spec, version), PAIN_TYPE, version.id());
    }

    /** Upper-case printable ASCII, letters with accents without them, at most {@code maxLength}. */
    static String ascii(String text, int maxLength) {
        if (text == null) {
            return "";
        }
        String cleaned = EpcText.clean(text, maxLength).toUpperCase(Locale.ROOT);
        return cleaned.length() > maxLength ? cleaned.substring(0, maxLength) : cleaned;
    }

    // ---- TARGET2 days (SEPA) ------------------------------------------------------------------------

    static LocalDate nextTargetDay(LocalDate after) {
        LocalDate day = after.plusDays(1);
        while (!isTargetDay(day)) {
            day = day.plusDays(1);
        }
        return day;
    }

    /** TARGET2 is closed on weekends, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December. */
    static boolean isTargetDay(LocalDate day) {
        if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return false;
        }
        MonthDay monthDay = MonthDay.from(day);
        if (monthDay.equals(MonthDay.of(1, 1)) || monthDay.equals(MonthDay.of(5, 1)) || monthDay.equals(MonthDay.of(12, 25))
            || monthDay.equals(MonthDay.of(12, 26))) {
            return false;
        }
        LocalDate easter = easterSunday(day.getYear());
        return !day.equals(easter.minusDays(2)) && !day.equals(easter.plusDays(1));
    }

    /** Gregorian Easter Sunday (the anonymous Gregorian algorithm). */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int dayOfMonth = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, dayOfMonth);
    }
}
