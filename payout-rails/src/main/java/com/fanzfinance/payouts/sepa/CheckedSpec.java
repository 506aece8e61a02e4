package com.fanzfinance.payouts.sepa;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link Pain001Spec} after checking: names cleaned to the EPC set, IBANs normalised, totals computed. Made
 * only by {@link #of(Pain001Spec)}, which throws {@link Pain001SpecException} naming the first bad field.
 */
record CheckedSpec(String messageId, OffsetDateTime creationTime, String initiatingPartyName,
                   String paymentInformationId, LocalDate requestedExecutionDate, String debtorName,
                   String debtorIban, String debtorBic, List<Transfer> transfers, long controlSumCents) {

    static final int MAX_TRANSFERS = 100_000;
    static final long MAX_AMOUNT_CENTS = 99_999_999_999L;
    static final int MAX_NAME = 70;
    static final int MAX_REMITTANCE = 140;
    static final int MAX_ID = 35;

    /** EPC characters without space; the {@code /} rules are checked apart. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9/\\-?:().,'+]{1," + MAX_ID + "}");
    private static final int MAX_OFFSET_SECONDS = 14 * 3600;

    /** One checked transfer; {@code creditorBic} and {@code remittance} may be null. */
    record Transfer(String endToEndId, long amountCents, String creditorName, String creditorIban,
                    String creditorBic, String remittance) {}

    static CheckedSpec of(Pain001Spec spec) {
        if (spec == null) {
            throw new Pain001SpecException("spec: missing");
        }
        List<Transfer> transfers = transfers(spec.transfers());
        return new CheckedSpec(
            id("messageId", spec.messageId()),
            creationTime(spec.creationTime()),
            name("initiatingPartyName", spec.initiatingPartyName()),
            id("paymentInformationId", spec.paymentInformationId()),
            executionDate(spec.requestedExecutionDate()),
            name("debtorName", spec.debtorName()),
            iban("debtorIban", spec.debtorIban()),
            optionalBic("debtorBic", spec.debtorBic()),
            transfers,
            controlSum(transfers));
    }

    int numberOfTransactions() {
        return transfers.size();
    }

    private static List<Transfer> transfers(List<CreditTransfer> given) {
        if (given == null || given.isEmpty()) {
            throw new Pain001SpecException("transfers: at least one transfer is needed");
        }
        if (given.size() > MAX_TRANSFERS) {
            throw new Pain001SpecException("transfers: at most " + MAX_TRANSFERS + " per file, not " + given.size());
        }
        List<Transfer> checked = new ArrayList<>(given.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            Transfer transfer = transfer("transfers[" + i + "]", given.get(i));
            Integer earlier = seen.putIfAbsent(transfer.endToEndId(), i);
            if (earlier != null) {
                throw new Pain001SpecException("transfers[" + i + "].endToEndId: repeats transfers[" + earlier
                    + "]'s " + transfer.endToEndId());
            }
            checked.add(transfer);
        }
        return List.copyOf(checked);
    }

    private static Transfer transfer(String field, CreditTransfer transfer) {
        if (transfer == null) {
            throw new Pain001SpecException(field + ": missing");
        }
        return new Transfer(
            id(field + ".endToEndId", transfer.endToEndId()),
            amount(field + ".amountCents", transfer.amountCents()),
            name(field + ".creditorName", transfer.creditorName()),
            iban(field + ".creditorIban", transfer.creditorIban()),
            optionalBic(field + ".creditorBic", transfer.creditorBic()),
            remittance(field + ".remittanceInformation", transfer.remittanceInformation()));
    }

    private static String id(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new Pain001SpecException(field + ": missing");
        }
        if (!ID.matcher(id).matches()) {
            throw new Pain001SpecException(field + ": 1 to " + MAX_ID + " characters of a-z A-Z 0-9 / - ? : ( ) . , ' +"
                + " (no spaces), not '" + id + "'");
        }
        if (id.startsWith("/") || id.endsWith("/") || id.contains("//")) {
            throw new Pain001SpecException(field + ": must not start or end with '/' nor contain '//': " + id);
        }
        return id;
    }

    private static String name(String field, String name) {
        String cleaned = EpcText.clean(name, MAX_NAME);
        if (cleaned.isEmpty()) {
            throw new Pain001SpecException(field + ": missing, or nothing left after cleaning to the EPC set");
        }
        return cleaned;
    }

    private static String remittance(String field, String text) {
        if (text == null) {
            return null;
        }
        String cleaned = EpcText.clean(text, Integer.MAX_VALUE);
        if (cleaned.length() > MAX_REMITTANCE) {
            throw new Pain001SpecException(field + ": at most " + MAX_REMITTANCE
                + " characters after cleaning to the EPC set, not " + cleaned.length());
        }
        return cleaned.isEmpty() ? null : cleaned;
    }

    private static String iban(String field, String iban) {
        Optional<String> problem = Iban.problem(iban);
        if (problem.isPresent()) {
            throw new Pain001SpecException(field + ": " + problem.get());
        }
        return Iban.normalise(iban);
    }

    private static String optionalBic(String field, String bic) {
        if (bic == null) {
            return null;
        }
        Optional<String> problem = Bic.problem(bic);
        if (problem.isPresent()) {
            throw new Pain001SpecException(field + ": " + problem.get());
        }
        return bic;
    }

    private static long amount(String field, long cents) {
        if (cents < 1 || cents > MAX_AMOUNT_CENTS) {
            throw new Pain001SpecException(field + ": from 1 (EUR 0.01) to " + MAX_AMOUNT_CENTS
                + " (EUR 999999999.99), not " + cents);
        }
        return cents;
    }

    private static OffsetDateTime creationTime(OffsetDateTime time) {
        if (time == null) {
            throw new Pain001SpecException("creationTime: missing");
        }
        checkYear("creationTime", time.getYear());
        int offset = time.getOffset().getTotalSeconds();
        if (Math.abs(offset) > MAX_OFFSET_SECONDS || offset % 60 != 0) {
            throw new Pain001SpecException("creationTime: an XML offset is whole minutes within ±14:00, not "
                + time.getOffset());
        }
        return time.truncatedTo(ChronoUnit.SECONDS);
    }

    private static LocalDate executionDate(LocalDate date) {
        if (date == null) {
            throw new Pain001SpecException("requestedExecutionDate: missing");
        }
        checkYear("requestedExecutionDate", date.getYear());
        return date;
    }

    private static void checkYear(String field, int year) {
        if (year < 1 || year > 9999) {
            throw new Pain001SpecException(field + ": the year must be 1 to 9999, not " + year);
        }
    }

    private static long controlSum(List<Transfer> transfers) {
        long sum = 0;
        for (Transfer transfer : transfers) {
            sum = Math.addExact(sum, transfer.amountCents());
        }
        return sum;
    }
}
