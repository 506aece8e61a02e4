package com.fanzfinance.payouts.paxum;

import java.util.Map;
import java.util.Set;

/**
 * Paxum legacy API {@code ResponseCode}s: what each means, and which of them the driver takes as a definitive refusal
 * (the transfer did not happen and will not happen on a plain retry) rather than an unclear outcome.
 *
 * <p>The names are the constants the public client reva2/paxum-api uses; Paxum's own pages list no table. Only
 * {@code 00} is success. {@code 13} (system error) is not a refusal: the transfer may or may not have been booked, so
 * the driver looks it up before anything else.
 */
public final class PaxumCodes {
    /** The only success code. */
    public static final String SUCCESS = "00";

    /** Code → the constant name clients use for it. */
    public static final Map<String, String> MEANINGS = Map.ofEntries(
        Map.entry("00", "SUCCESS"),
        Map.entry("03", "INVALID_MERCHANT"),
        Map.entry("13", "SYSTEM_ERROR"),
        Map.entry("30", "FORMAT_ERROR"),
        Map.entry("51", "NOT_SUFFICIENT_FUNDS"),
        Map.entry("52", "TRANSACTION_AMOUNT_LIMIT_EXCEEDED_SINGLE"),
        Map.entry("53", "TRANSACTION_AMOUNT_LIMIT_EXCEEDED_DAILY"),
        Map.entry("54", "TRANSACTION_AMOUNT_LIMIT_EXCEEDED_MONTHLY"),
        Map.entry("55", "INCORRECT_PIN"),
        Map.entry("56", "TRANSACTION_NUMBER_LIMIT_EXCEEDED_DAILY"),
        Map.entry("57", "TRANSACTION_NUMBER_LIMIT_EXCEEDED_MONTHLY"),
        Map.entry("58", "TRANSACTION_NOT_PERMITTED"),
        Map.entry("66", "API_METHOD_DISABLED"),
        Map.entry("83", "FAILED_CANCEL_SUBSCRIPTION"),
        Map.entry("88", "FAILED_FILE_UPLOAD"),
        Map.entry("89", "FAILED_REQUEST_MONEY"),
        Map.entry("90", "UNAUTHORIZED_ACCESS"),
        Map.entry("91", "UNAUTHORIZED_MOBILE_DEVICE"),
        Map.entry("99", "NOT_IMPLEMENTED"),
        Map.entry("CT", "NOT_CONFIRMED_ADDRESS"),
        Map.entry("CB", "NOT_CONFIRMED_BANK_ACCOUNT"),
        Map.entry("CC", "NOT_CONFIRMED_CARD"),
        Map.entry("3D", "FORMAT_ERROR_ADDRESS"),
        Map.entry("3T", "FORMAT_ERROR_ADDRESS_STATUS_ID"),
        Map.entry("3B", "FORMAT_ERROR_BANK_ACCOUNT"),
        Map.entry("3C", "FORMAT_ERROR_COUNTRY"),
        Map.entry("3I", "FORMAT_ERROR_IBAN"),
        Map.entry("3S", "FORMAT_ERROR_STATE"),
        Map.entry("AS", "AMBIGUOUS_SUBSCRIPTION_TERMINATION"),
        Map.entry("DE", "DOCUMENT_EXPIRED"),
        Map.entry("EA", "EMPTY_ACCOUNT_TYPE"),
        Map.entry("ED", "EMPTY_ADDRESS"),
        Map.entry("ET", "EMPTY_ADDRESS_STATUS_ID"),
        Map.entry("EB", "EMPTY_BANK_ACCOUNT"),
        Map.entry("EN", "EMPTY_BANK_NAME"),
        Map.entry("ER", "EMPTY_BANK_ROUTING_NUMBER"),
        Map.entry("EW", "EMPTY_BANK_SWIFT"),
        Map.entry("EC", "EMPTY_CITY"),
        Map.entry("EF", "EMPTY_FIRST_NAME"),
        Map.entry("EL", "EMPTY_LAST_NAME"),
        Map.entry("EP", "EMPTY_PHONE"),
        Map.entry("ES", "EMPTY_STATE"),
        Map.entry("EZ", "EMPTY_ZIP"),
        Map.entry("IA", "INVALID_ACCOUNT_ID"),
        Map.entry("ID", "INVALID_ADDRESS_ID"),
        Map.entry("IB", "INVALID_BANK_ACCOUNT"),
        Map.entry("IC", "INVALID_CARD_ID"),
        Map.entry("IN", "INVALID_CARD_NUMBER"),
        Map.entry("IY", "INVALID_CARD_TYPE"),
        Map.entry("IV", "INVALID_CVV"),
        Map.entry("IK", "INVALID_CURRENCY"),
        Map.entry("IF", "INVALID_FREQUENCY"),
        Map.entry("IM", "INVALID_METHOD_NAME"),
        Map.entry("IW", "INVALID_PASSWORD"),
        Map.entry("IP", "INVALID_PAYEE"),
        Map.entry("IS", "INVALID_SUBSCRIPTION_ID"),
        Map.entry("IT", "INVALID_TRANSACTION_ID"),
        Map.entry("IU", "INVALID_USERNAME"),
        Map.entry("BM", "NOT_MATCH_BUSINESS_NAME"),
        Map.entry("NM", "NOT_MATCH_NAME"),
        Map.entry("PO", "PO_BOX_NOT_ALLOWED"),
        Map.entry("PC", "PRIMARY_CARD"),
        Map.entry("PB", "PRIMARY_BANK_ACCOUNT"),
        Map.entry("P5", "CURRENCY_CONVERSION_ERROR"),
        Map.entry("UA", "UNVERIFIED_ACCOUNT"));

    /**
     * Codes that refuse a {@code transferFunds} before any money moved: funds, limits, permissions, credentials, a bad
     * payee/currency/format, a name mismatch. Everything not listed here and not {@code 00} (notably {@code 13} and
     * codes missing from the table) is treated as an unclear outcome and reconciled through the history. {@code P5}
     * (currency conversion error) is not listed: it may come from a step after the money was booked.
     */
    public static final Set<String> DEFINITIVE_REFUSALS = Set.of(
        "03", "30", "51", "52", "53", "54", "55", "56", "57", "58", "66", "90", "91", "99",
        "IA", "IK", "IP", "IU", "IW", "IM", "BM", "NM", "UA", "DE");

    private PaxumCodes() {
    }

    /** The code's name, or {@code UNKNOWN_CODE} for one not in the table. */
    public static String meaning(String code) {
        return MEANINGS.getOrDefault(code, "UNKNOWN_CODE");
    }

    /** Whether {@code code} means the transfer was refused and no money left. */
    public static boolean isDefinitiveRefusal(String code) {
        return DEFINITIVE_REFUSALS.contains(code);
    }
}
