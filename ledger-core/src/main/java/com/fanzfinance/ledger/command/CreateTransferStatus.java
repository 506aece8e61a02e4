package com.fanzfinance.ledger.command;

import java.util.Locale;

/**
 * The outcome of one create-transfer event, as TigerBeetle's {@code CreateTransferStatus}.
 *
 * <p>Declared in precedence order: when several apply, the engine reports the first. {@link #code()} is
 * TigerBeetle 0.17's number for the status, used on the binary transport; it is stable and never reused.
 * {@link #wireName()} is the snake_case name used by the JSON API.
 */
public enum CreateTransferStatus {
    CREATED(0xFFFF_FFFFL, false),
    LINKED_EVENT_FAILED(1, false),
    LINKED_EVENT_CHAIN_OPEN(2, false),
    IMPORTED_EVENT_EXPECTED(56, false),
    IMPORTED_EVENT_NOT_EXPECTED(57, false),
    TIMESTAMP_MUST_BE_ZERO(3, false),
    IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE(58, false),
    IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE(59, false),
    RESERVED_FLAG(4, false),
    ID_MUST_NOT_BE_ZERO(5, false),
    ID_MUST_NOT_BE_INT_MAX(6, false),
    EXISTS_WITH_DIFFERENT_FLAGS(36, false),
    EXISTS_WITH_DIFFERENT_PENDING_ID(40, false),
    EXISTS_WITH_DIFFERENT_TIMEOUT(44, false),
    EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID(37, false),
    EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID(38, false),
    EXISTS_WITH_DIFFERENT_AMOUNT(39, false),
    EXISTS_WITH_DIFFERENT_USER_DATA_128(41, false),
    EXISTS_WITH_DIFFERENT_USER_DATA_64(42, false),
    EXISTS_WITH_DIFFERENT_USER_DATA_32(43, false),
    EXISTS_WITH_DIFFERENT_LEDGER(67, false),
    EXISTS_WITH_DIFFERENT_CODE(45, false),
    EXISTS(46, false),
    ID_ALREADY_FAILED(68, false),
    FLAGS_ARE_MUTUALLY_EXCLUSIVE(7, false),
    DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO(8, false),
    DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX(9, false),
    CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO(10, false),
    CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX(11, false),
    ACCOUNTS_MUST_BE_DIFFERENT(12, false),
    PENDING_ID_MUST_BE_ZERO(13, false),
    PENDING_ID_MUST_NOT_BE_ZERO(14, false),
    PENDING_ID_MUST_NOT_BE_INT_MAX(15, false),
    PENDING_ID_MUST_BE_DIFFERENT(16, false),
    TIMEOUT_RESERVED_FOR_PENDING_TRANSFER(17, false),
    CLOSING_TRANSFER_MUST_BE_PENDING(64, false),
    LEDGER_MUST_NOT_BE_ZERO(19, false),
    CODE_MUST_NOT_BE_ZERO(20, false),
    DEBIT_ACCOUNT_NOT_FOUND(21, true),
    CREDIT_ACCOUNT_NOT_FOUND(22, true),
    ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER(23, false),
    TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS(24, false),
    PENDING_TRANSFER_NOT_FOUND(25, true),
    PENDING_TRANSFER_NOT_PENDING(26, false),
    PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID(27, false),
    PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID(28, false),
    PENDING_TRANSFER_HAS_DIFFERENT_LEDGER(29, false),
    PENDING_TRANSFER_HAS_DIFFERENT_CODE(30, false),
    EXCEEDS_PENDING_TRANSFER_AMOUNT(31, false),
    PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT(32, false),
    PENDING_TRANSFER_ALREADY_POSTED(33, false),
    PENDING_TRANSFER_ALREADY_VOIDED(34, false),
    PENDING_TRANSFER_EXPIRED(35, false),
    IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS(60, false),
    IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_DEBIT_ACCOUNT(61, false),
    IMPORTED_EVENT_TIMESTAMP_MUST_POSTDATE_CREDIT_ACCOUNT(62, false),
    IMPORTED_EVENT_TIMEOUT_MUST_BE_ZERO(63, false),
    DEBIT_ACCOUNT_ALREADY_CLOSED(65, true),
    CREDIT_ACCOUNT_ALREADY_CLOSED(66, true),
    OVERFLOWS_DEBITS_PENDING(47, false),
    OVERFLOWS_CREDITS_PENDING(48, false),
    OVERFLOWS_DEBITS_POSTED(49, false),
    OVERFLOWS_CREDITS_POSTED(50, false),
    OVERFLOWS_DEBITS(51, false),
    OVERFLOWS_CREDITS(52, false),
    OVERFLOWS_TIMEOUT(53, false),
    EXCEEDS_CREDITS(54, true),
    EXCEEDS_DEBITS(55, true);

    private static final CreateTransferStatus[] BY_CODE = new CreateTransferStatus[69];
    private static final java.util.Map<String, CreateTransferStatus> BY_WIRE_CreateTransferStatus = new java.util.HashMap<>();

    static {
        for (CreateTransferStatus status : values()) {
            if (status != CREATED) {
                BY_CODE[(int) status.code] = status;
            }
            BY_WIRE_CreateTransferStatus.put(status.wireName, status);
        }
    }

    private final long code;
    private final boolean transientStatus;
    private final String wireName;

    CreateTransferStatus(long code, boolean transientStatus) {
        this.code = code;
        this.transientStatus = transientStatus;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** TigerBeetle 0.17's unsigned 32-bit code. */
    public long code() {
        return code;
    }

    /** The code as the 32 bits written into a result record. */
    public int codeBits() {
        return (int) code;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * True for the statuses that depend on state that may change (an account not found yet, funds not
     * there yet). A transfer id that failed with one is remembered and can never succeed later.
     */
    public boolean isTransient() {
        return transientStatus;
    }

    /** The status with this code, or {@code null} if the code is unknown. */
    public static CreateTransferStatus ofCode(long code) {
        if (code == CREATED.code) {
            return CREATED;
        }
        if (code < 0 || code >= BY_CODE.length) {
            return null;
        }
        return BY_CODE[(int) code];
    }

    /** The status with this snake_case name, or {@code null}. */
    public static CreateTransferStatus ofWireName(String wireName) {
        return BY_WIRE_CreateTransferStatus.get(wireName);
    }
}
