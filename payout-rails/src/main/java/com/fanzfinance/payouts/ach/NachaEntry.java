package com.fanzfinance.payouts.ach;

/**
 * One entry detail ({@code 6}) record to write, without addenda.
 *
 * @param transactionCode      the NACHA transaction code, e.g. 22 (checking credit) or 32 (savings credit)
 * @param routingNumber        the receiver's 9-digit ABA routing number (its check digit must hold)
 * @param accountNumber        the receiver's account, 1–17 printable ASCII characters
 * @param amountCents          0 … 9,999,999,999 cents; 0 for prenotes and zero-dollar codes
 * @param identificationNumber the originator's reference for the entry, at most 15 characters (may be "")
 * @param name                 the receiver's name, at most 22 characters
 * @param discretionaryData    at most 2 characters, may be ""
 * @param traceNumber          15 digits (normally the ODFI's 8 digits and a 7-digit sequence), unique in the file
 */
public record NachaEntry(int transactionCode, String routingNumber, String accountNumber, long amountCents,
                         String identificationNumber, String name, String discretionaryData, String traceNumber) {
}
