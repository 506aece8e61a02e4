package com.fanzfinance.server.payments.payouts;

import java.util.Map;

/**
 * What NACHA return reason codes mean (Nacha Operating Rules, as moov-io/ach's returns documentation lists them),
 * for the reason a returned payout shows.
 */
final class ReturnCodes {
    private static final Map<String, String> REASONS = Map.ofEntries(
        Map.entry("R01", "Insufficient funds"),
        Map.entry("R02", "Account closed"),
        Map.entry("R03", "No account/unable to locate account"),
        Map.entry("R04", "Invalid account number"),
        Map.entry("R05", "Improper debit to consumer account"),
        Map.entry("R06", "Returned per ODFI's request"),
        Map.entry("R07", "Authorization revoked by customer"),
        Map.entry("R08", "Payment stopped"),
        Map.entry("R09", "Uncollected funds"),
        Map.entry("R10", "Customer advises originator not known or not authorized"),
        Map.entry("R11", "Customer advises entry not in accordance with the terms of the authorization"),
        Map.entry("R12", "Account sold to another DFI"),
        Map.entry("R13", "Invalid ACH routing number"),
        Map.entry("R14", "Representative payee deceased"),
        Map.entry("R15", "Beneficiary or account holder deceased"),
        Map.entry("R16", "Account frozen"),
        Map.entry("R17", "File record edit criteria"),
        Map.entry("R18", "Improper effective entry date"),
        Map.entry("R19", "Amount field error"),
        Map.entry("R20", "Non-transaction account"),
        Map.entry("R21", "Invalid company identification"),
        Map.entry("R22", "Invalid individual ID number"),
        Map.entry("R23", "Credit entry refused by receiver"),
        Map.entry("R24", "Duplicate entry"),
        Map.entry("R25", "Addenda error"),
        Map.entry("R26", "Mandatory field error"),
        Map.entry("R27", "Trace number error"),
        Map.entry("R28", "Routing number check digit error"),
        Map.entry("R29", "Corporate customer advises not authorized"),
        Map.entry("R30", "RDFI not participant in check truncation program"),
        Map.entry("R31", "Permissible return entry"),
        Map.entry("R32", "RDFI non-settlement"),
        Map.entry("R33", "Return of XCK entry"),
        Map.entry("R34", "Limited participation DFI"),
        Map.entry("R35", "Return of improper debit entry"),
        Map.entry("R37", "Source document presented for payment"),
        Map.entry("R38", "Stop payment on source document"),
        Map.entry("R39", "Improper source document")
    );

    private ReturnCodes() {
    }

    /** The reason of a return code, or a generic one for codes outside R01-R39 (dishonored, contested, IAT, ...). */
    static String reason(String code) {
        return REASONS.getOrDefault(code, "returned by the bank");
    }
}
