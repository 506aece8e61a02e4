package com.fanzfinance.payouts.sepa;

/**
 * One SEPA credit transfer (a {@code CdtTrfTxInf}) in euro cents. The record holds what it is given;
 * {@link Pain001Writer} checks it and says which field of which transfer is wrong.
 *
 * @param endToEndId the payer's reference, returned by the bank in status reports and shown to the creditor:
 *     1–35 characters of the EPC set without space, not starting or ending with {@code /}, no {@code //}
 * @param amountCents 1 to 99,999,999,999 (EUR 0.01 to 999,999,999.99)
 * @param creditorName the payee; cleaned to the EPC set and cut to 70 characters; must not clean to nothing
 * @param creditorIban the payee's IBAN (spaces and lower case allowed; written normalised)
 * @param creditorBic the payee's bank BIC, or null (IBAN-only, allowed within SEPA)
 * @param remittanceInformation unstructured remittance text, or null; cleaned, at most 140 characters
 *     after cleaning (longer is an error, not cut, since the payee may need all of it)
 */
public record CreditTransfer(String endToEndId, long amountCents, String creditorName, String creditorIban,
                             String creditorBic, String remittanceInformation) {}
