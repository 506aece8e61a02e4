package com.fanzfinance.payouts.ach;

import java.time.LocalDate;
import java.util.List;

/**
 * One batch to write: its header fields, its entries in order and an optional offset.
 *
 * @param secCode                  Standard Entry Class code, {@code PPD} or {@code CCD}
 * @param companyName              at most 16 characters
 * @param companyDiscretionaryData at most 20 characters, may be ""
 * @param companyIdentification    at most 10 characters
 * @param entryDescription         at most 10 characters, e.g. {@code PAYOUT}
 * @param descriptiveDate          at most 6 characters, may be ""
 * @param effectiveDate            the requested settlement date, written as YYMMDD
 * @param odfiIdentification       the first 8 digits of the originating bank's routing number
 * @param batchNumber              1 … 9,999,999, strictly ascending within a file
 * @param entries                  at least one entry
 * @param offset                   {@code null} for an unbalanced batch; otherwise the account the balancing debit is drawn on
 */
public record NachaBatchSpec(String secCode, String companyName, String companyDiscretionaryData,
                             String companyIdentification, String entryDescription, String descriptiveDate,
                             LocalDate effectiveDate, String odfiIdentification, int batchNumber,
                             List<NachaEntry> entries, NachaOffset offset) {

    /** Copies {@code entries} so the record stays immutable (a {@code null} list stays {@code null} for the writer to name). */
    public NachaBatchSpec {
        entries = entries == null ? null : List.copyOf(entries);
    }
}
