package com.fanzfinance.server.payments.posting;

import java.util.UUID;

import com.fanzfinance.gateway.PaymentKind;

/** Requests for the tests' tenant, ledger and Verotel merchant account, with the brief's example numbers. */
final class Events {
    static final UUID MERCHANT = UUID.fromString("6f1d2c3b-0000-4000-8000-000000000001");
    static final String PROCESSOR = "verotel";
    static final String CREATOR = "c_42";
    static final String REFERRER = "r_7";
    static final Shares SHARES = new Shares(2000, 500, 1000, 7);
    static final Fees FEES = new Fees(1000, 30, 2500, 15);

    private Events() {
    }

    static PostingRequest sale(String key, long gross, String referrer, CreatorPosition position) {
        return sale(key, PaymentKind.SALE, gross, SHARES, FEES, referrer, position);
    }

    static PostingRequest sale(String key, PaymentKind kind, long gross, Shares shares, Fees fees, String referrer,
                               CreatorPosition position) {
        return PostingRequest.charge(EventIdentity.first(MERCHANT, key), eventId(key), LedgerFixture.TENANT,
            LedgerFixture.USD, PROCESSOR, CREATOR, referrer, kind, gross, fees, shares, position);
    }

    static PostingRequest reversal(String key, PaymentKind kind, long amount, Parent parent, String referrer,
                                   CreatorPosition position) {
        return reversal(EventIdentity.first(MERCHANT, key), kind, amount, parent, referrer, position);
    }

    static PostingRequest reversal(EventIdentity identity, PaymentKind kind, long amount, Parent parent,
                                   String referrer, CreatorPosition position) {
        return PostingRequest.reversal(identity, eventId(identity.dedupeKey()), LedgerFixture.TENANT, LedgerFixture.USD,
            PROCESSOR, CREATOR, referrer, kind, amount, FEES, parent, position);
    }

    /** A stable event id per key, so that plans of the same event are equal. */
    static UUID eventId(String key) {
        return UUID.nameUUIDFromBytes(("event " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static UUID account(PaymentRole role, String party) {
        return PaymentAccounts.account(LedgerFixture.TENANT, LedgerFixture.USD, role, PROCESSOR, party).id();
    }

    static UUID account(PaymentRole role) {
        String party = switch (role) {
            case PROCESSOR_RECEIVABLE, PROCESSOR_FEES, CHARGEBACK_EXPENSE -> MERCHANT.toString();
            case CREATOR_PAYABLE, CREATOR_RECEIVABLE, CREATOR_RESERVE -> CREATOR;
            case REFERRAL_PAYABLE -> REFERRER;
            default -> "";
        };
        return account(role, party);
    }
}
