package com.fanzfinance.ledger.client;

/**
 * The names the JSON API uses — other programs depend on them exactly (see docs/api.md). Shared by the
 * server, which parses requests and writes responses, and the client, which does the opposite.
 */
public final class WireFormat {
    public static final String ACCOUNTS = "accounts";
    public static final String TRANSFERS = "transfers";
    public static final String ENTRIES = "entries";
    public static final String RESULTS = "results";
    public static final String BALANCES = "balances";

    public static final String ID = "id";
    public static final String LEDGER = "ledger";
    public static final String CODE = "code";
    public static final String FLAGS = "flags";
    public static final String USER_DATA_128 = "user_data_128";
    public static final String USER_DATA_64 = "user_data_64";
    public static final String USER_DATA_32 = "user_data_32";
    public static final String DEBITS_PENDING = "debits_pending";
    public static final String DEBITS_POSTED = "debits_posted";
    public static final String CREDITS_PENDING = "credits_pending";
    public static final String CREDITS_POSTED = "credits_posted";
    public static final String TIMESTAMP = "timestamp";
    public static final String METADATA = "metadata";
    public static final String TENANT = "tenant";

    public static final String DEBIT_ACCOUNT_ID = "debit_account_id";
    public static final String CREDIT_ACCOUNT_ID = "credit_account_id";
    public static final String AMOUNT = "amount";
    public static final String PENDING_ID = "pending_id";
    public static final String TIMEOUT = "timeout";
    public static final String PENDING_STATUS = "pending_status";

    public static final String POSTINGS = "postings";
    public static final String ACCOUNT_ID = "account_id";
    public static final String DEBIT = "debit";
    public static final String CREDIT = "credit";
    public static final String PENDING = "pending";

    public static final String INDEX = "index";
    public static final String STATUS = "status";
    public static final String FAILED_POSTING = "failed_posting";
    public static final String NEXT = "next";

    /** Query parameters of the listing endpoints; {@code cursor} takes back a page's {@link #NEXT}. */
    public static final String LIMIT = "limit";
    public static final String TIMESTAMP_MIN = "timestamp_min";
    public static final String TIMESTAMP_MAX = "timestamp_max";
    public static final String DEBITS = "debits";
    public static final String CREDITS = "credits";
    public static final String REVERSED = "reversed";
    public static final String CURSOR = "cursor";

    /** Members of an RFC 9457 problem body (its {@code status} is {@link #STATUS}). */
    public static final String PROBLEM_TYPE = "type";
    public static final String PROBLEM_TITLE = "title";
    public static final String PROBLEM_DETAIL = "detail";
    public static final String PROBLEM_POINTER = "pointer";
    public static final String PROBLEM_INSTANCE = "instance";
    public static final String REQUEST_ID = "request_id";

    /** The header that carries a request's id both ways. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String JSON = "application/json";

    public static final String PROBLEM_TYPE_BASE = "https://fanzfinance.dev/problems/";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String BINARY = "application/octet-stream";

    private WireFormat() {
    }
}
