/**
 * ACH payouts: NACHA files to send and returns and notifications of change to read.
 *
 * <ul>
 *   <li>{@link com.fanzfinance.payouts.ach.NachaWriter} turns a {@link com.fanzfinance.payouts.ach.NachaFileSpec}
 *       (PPD/CCD batches of {@link com.fanzfinance.payouts.ach.NachaEntry}, optionally balanced by a
 *       {@link com.fanzfinance.payouts.ach.NachaOffset}) into a blocked, 94-character-record file with
 *       its entry hashes and totals; it validates the spec first and throws
 *       {@link com.fanzfinance.payouts.ach.NachaSpecException} naming the field.</li>
 *   <li>{@link com.fanzfinance.payouts.ach.NachaReader} parses and checks a file (record shape and order,
 *       addenda indicators, counts, hashes and totals) into a {@link com.fanzfinance.payouts.ach.NachaDocument},
 *       whose {@code returns()} (addenda 99) and {@code changes()} (addenda 98) are how returns and NOCs
 *       are matched to payouts by original trace number; {@link com.fanzfinance.payouts.ach.CorrectedData}
 *       splits a NOC's corrected data by change code. Failures are
 *       {@link com.fanzfinance.payouts.ach.NachaFormatException}s with the line.</li>
 *   <li>{@link com.fanzfinance.payouts.ach.AbaRouting} checks routing numbers (3-7-1 check digit) and
 *       {@link com.fanzfinance.payouts.ach.BankingDays} knows the Federal Reserve's banking days for
 *       effective entry dates.</li>
 * </ul>
 *
 * <p>Money is always a {@code long} number of cents. A transaction code's second digit decides credit
 * (1–4) or debit (5–9), as in moov-io/ach. Layouts follow the NACHA record formats as documented by
 * moov-io/ach; only the JDK is used.
 */
package com.fanzfinance.payouts.ach;
