package com.fanzfinance.payouts.sepa;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What goes into one pain.001 file: one group header, one payment information block (one debtor account, one
 * execution date) and its transfers. Immutable: the transfer list is copied (nulls kept, so that
 * {@link Pain001Writer} can name them).
 *
 * @param messageId the file's {@code MsgId}, unique per sender (banks reject a repeat): 1–35 EPC id characters
 * @param creationTime {@code CreDtTm}; written to the second, with its offset
 * @param initiatingPartyName {@code InitgPty/Nm}; cleaned, cut to 70
 * @param paymentInformationId {@code PmtInfId}: 1–35 EPC id characters
 * @param requestedExecutionDate {@code ReqdExctnDt}
 * @param debtorName {@code Dbtr/Nm}; cleaned, cut to 70
 * @param debtorIban {@code DbtrAcct/Id/IBAN}
 * @param debtorBic {@code DbtrAgt} BIC, or null: then {@code DbtrAgt/FinInstnId/Othr/Id} is {@code NOTPROVIDED}
 * @param transfers 1 to 100,000 transfers
 */
public record Pain001Spec(String messageId, OffsetDateTime creationTime, String initiatingPartyName,
                          String paymentInformationId, LocalDate requestedExecutionDate,
                          String debtorName, String debtorIban, String debtorBic,
                          List<CreditTransfer> transfers) {

    /** Copies {@code transfers} into an unmodifiable list (null stays null, for the writer to report). */
    public Pain001Spec {
        transfers = transfers == null ? null : Collections.unmodifiableList(new ArrayList<>(transfers));
    }
}
