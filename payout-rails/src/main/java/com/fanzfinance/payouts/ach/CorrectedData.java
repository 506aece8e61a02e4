package com.fanzfinance.payouts.ach;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The corrected data of a notification of change (addenda 98, positions 36–64), split by change
 * code as moov-io/ach's {@code Addenda98.ParseCorrectedData} does:
 * <ul>
 *   <li>C01 account number: the first 17 characters;</li>
 *   <li>C02 routing number: the first 9 characters;</li>
 *   <li>C03 routing number and account number: two space-separated words;</li>
 *   <li>C04 individual name: the first 22 characters;</li>
 *   <li>C05 transaction code: the first 2 characters, a number;</li>
 *   <li>C06 account number and transaction code: two space-separated words, the second a number;</li>
 *   <li>C07 routing number (the first 9 characters), then account number and transaction code as
 *       two space-separated words, the second a number;</li>
 *   <li>C09 identification number: the first 22 characters.</li>
 * </ul>
 * Values are trimmed. Fields a code does not carry are {@code null}.
 *
 * @param routingNumber        C02, C03, C07
 * @param accountNumber        C01, C03, C06, C07
 * @param transactionCode      C05, C06, C07
 * @param name                 C04
 * @param identificationNumber C09
 */
public record CorrectedData(String routingNumber, String accountNumber, Integer transactionCode, String name,
                            String identificationNumber) {

    /**
     * Splits {@code correctedData} for {@code changeCode}.
     *
     * @return empty for a code without a layout here (e.g. C08, C10–C14, refused NOCs C61–C69), for
     *         blank data, or for data that does not fit the code's layout
     */
    public static Optional<CorrectedData> parse(String changeCode, String correctedData) {
        if (changeCode == null || correctedData == null) {
            return Optional.empty();
        }
        return switch (changeCode.strip()) {
            case "C01" -> first(17, correctedData).map(account -> new CorrectedData(null, account, null, null, null));
            case "C02" -> first(9, correctedData).map(routing -> new CorrectedData(routing, null, null, null, null));
            case "C03" -> routingAndAccount(correctedData);
            case "C04" -> first(22, correctedData).map(name -> new CorrectedData(null, null, null, name, null));
            case "C05" -> first(2, correctedData).flatMap(CorrectedData::number)
                    .map(code -> new CorrectedData(null, null, code, null, null));
            case "C06" -> accountAndTransactionCode(correctedData, null);
            case "C07" -> routingAccountAndTransactionCode(correctedData);
            case "C09" -> first(22, correctedData).map(id -> new CorrectedData(null, null, null, null, id));
            default -> Optional.empty();
        };
    }

    private static Optional<CorrectedData> routingAndAccount(String data) {
        List<String> words = words(data);
        if (words.size() != 2) {
            return Optional.empty();
        }
        return Optional.of(new CorrectedData(words.get(0), words.get(1), null, null, null));
    }

    private static Optional<CorrectedData> accountAndTransactionCode(String data, String routingNumber) {
        List<String> words = words(data);
        if (words.size() != 2) {
            return Optional.empty();
        }
        return number(words.get(1))
                .map(code -> new CorrectedData(routingNumber, words.get(0), code, null, null));
    }

    private static Optional<CorrectedData> routingAccountAndTransactionCode(String data) {
        if (data.length() <= 9) {
            return Optional.empty();
        }
        return accountAndTransactionCode(data.substring(9), data.substring(0, 9));
    }

    /** The first {@code size} characters, trimmed; empty when that is blank. */
    private static Optional<String> first(int size, String data) {
        String value = (data.length() < size ? data : data.substring(0, size)).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static List<String> words(String data) {
        List<String> words = new ArrayList<>();
        for (String word : data.strip().split(" +")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static Optional<Integer> number(String text) {
        if (text.isEmpty() || text.length() > 9 || !AbaRouting.isAsciiDigits(text)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(text));
    }
}
