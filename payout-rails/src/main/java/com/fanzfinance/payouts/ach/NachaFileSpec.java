package com.fanzfinance.payouts.ach;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * A whole NACHA file to write.
 *
 * @param immediateDestination     the 9-digit routing number of the receiving point (ODFI or operator); written with a leading space
 * @param immediateDestinationName at most 23 characters
 * @param immediateOrigin          9 digits (written with a leading space) or exactly 10 characters, as the ODFI specifies
 * @param immediateOriginName      at most 23 characters
 * @param creationDate             written as YYMMDD
 * @param creationTime             written as HHMM
 * @param fileIdModifier           {@code A}–{@code Z} or {@code 0}–{@code 9}; distinguishes files sent the same day
 * @param referenceCode            at most 8 characters, may be ""
 * @param batches                  at least one batch
 */
public record NachaFileSpec(String immediateDestination, String immediateDestinationName, String immediateOrigin,
                            String immediateOriginName, LocalDate creationDate, LocalTime creationTime,
                            char fileIdModifier, String referenceCode, List<NachaBatchSpec> batches) {

    /** Copies {@code batches} so the record stays immutable (a {@code null} list stays {@code null} for the writer to name). */
    public NachaFileSpec {
        batches = batches == null ? null : List.copyOf(batches);
    }
}
