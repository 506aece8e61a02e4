/**
 * SEPA credit transfers: ISO 20022 {@code pain.001} files for paying out euro to IBANs, and the checks that go
 * with them.
 *
 * <ul>
 *   <li>{@link com.fanzfinance.payouts.sepa.Iban}: normalising, validating (characters, SWIFT registry country,
 *       length and BBAN format, mod 97-10) and masking IBANs.</li>
 *   <li>{@link com.fanzfinance.payouts.sepa.Bic}: BIC checks as the pain.001.001.03 schema's pattern, plus an
 *       ISO 3166 country.</li>
 *   <li>{@link com.fanzfinance.payouts.sepa.EpcText}: text cleaned to the EPC basic Latin character set.</li>
 *   <li>{@link com.fanzfinance.payouts.sepa.Pain001Writer}: one {@link com.fanzfinance.payouts.sepa.Pain001Spec}
 *       (one debtor account, one execution date, up to 100,000
 *       {@link com.fanzfinance.payouts.sepa.CreditTransfer}s) to the bytes of a {@code pain.001.001.03} or
 *       {@code .09} file, checked against the bundled ISO 20022 schema before it is returned.</li>
 *   <li>{@link com.fanzfinance.payouts.sepa.Pain001Schemas}: validation of any pain.001 file against those
 *       schemas, e.g. before a file is released to the bank.</li>
 * </ul>
 *
 * <p>EPC rules applied on top of the ISO schema: currency EUR; amounts 0.01 to 999,999,999.99 with two
 * decimals; names at most 70 and unstructured remittance at most 140 characters of the EPC set; ids
 * ({@code MsgId}, {@code PmtInfId}, {@code EndToEndId}) 1–35 characters of that set without space, not starting
 * or ending with {@code /}, without {@code //}; service level {@code SEPA}; charges {@code SLEV}; UTF-8 without
 * byte order mark. Money is a {@code long} of euro cents throughout, never a floating-point number.
 *
 * <p>Not covered: postal addresses, structured (creditor reference) remittance, ultimate parties, purpose and
 * category purpose codes, {@code UETR}, several {@code PmtInf} blocks per file, batch booking flags, and the
 * pain.002 / camt status reports that come back.
 */
package com.fanzfinance.payouts.sepa;
