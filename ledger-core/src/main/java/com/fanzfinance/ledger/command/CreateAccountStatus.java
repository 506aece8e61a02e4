package com.fanzfinance.ledger.command;

import java.util.Locale;

/**
 * The outcome of one create-account event, as TigerBeetle's {@code CreateAccountStatus}.
 *
 * <p>Declared in precedence order: when several apply, the engine reports the first. {@link #code()} is
 * TigerBeetle 0.17's number for the status, used on the binary transport; it is stable and never reused.
 * {@link #wireName()} is the snake_case name used by the JSON API.
 */
public enum CreateAccountStatus {
    CREATED(0xFFFF_FFFFL),
    LINKED_EVENT_FAILED(1),
    LINKED_EVENT_CHAIN_OPEN(2),
    IMPORTED_EVENT_EXPECTED(22),
    IMPORTED_EVENT_NOT_EXPECTED(23),
    TIMESTAMP_MUST_BE_ZERO(3),
    IMPORTED_EVENT_TIMESTAMP_OUT_OF_RANGE(24),
    IMPORTED_EVENT_TIMESTAMP_MUST_NOT_ADVANCE(25),
    RESERVED_FIELD(4),
    RESERVED_FLAG(5),
    ID_MUST_NOT_BE_ZERO(6),
    ID_MUST_NOT_BE_INT_MAX(7),
    EXISTS_WITH_DIFFERENT_FLAGS(15),
    EXISTS_WITH_DIFFERENT_USER_DATA_128(16),
    EXISTS_WITH_DIFFERENT_USER_DATA_64(17),
    EXISTS_WITH_DIFFERENT_USER_DATA_32(18),
    EXISTS_WITH_DIFFERENT_LEDGER(19),
    EXISTS_WITH_DIFFERENT_CODE(20),
    EXISTS(21),
    FLAGS_ARE_MUTUALLY_EXCLUSIVE(8),
    DEBITS_PENDING_MUST_BE_ZERO(9),
    DEBITS_POSTED_MUST_BE_ZERO(10),
    CREDITS_PENDING_MUST_BE_ZERO(11),
    CREDITS_POSTED_MUST_BE_ZERO(12),
    LEDGER_MUST_NOT_BE_ZERO(13),
    CODE_MUST_NOT_BE_ZERO(14),
    IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS(26);

    private static final CreateAccountStatus[] BY_CODE = new CreateAccountStatus[27];
    private static final java.util.Map<String, CreateAccountStatus> BY_WIRE_CreateAccountStatus = new java.util.HashMap<>();

    static {
        for (CreateAccountStatus status : values()) {
            if (status != CREATED) {
                BY_CODE[(int) status.code] = status;
            }
            BY_WIRE_CreateAccountStatus.put(status.wireName, status);
        }
    }

    private final long code;
    private final String wireName;

    CreateAccountStatus(long code) {
        this.code = code;
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

    /** The status with this code, or {@code null} if the code is unknown. */
    public static CreateAccountStatus ofCode(long code) {
        if (code == CREATED.code) {
            return CREATED;
        }
        if (code < 0 || code >= BY_CODE.length) {
            return null;
        }
        return BY_CODE[(int) code];
    }

    /** The status with this snake_case name, or {@code null}. */
    public static CreateAccountStatus ofWireName(String wireName) {
        return BY_WIRE_CreateAccountStatus.get(wireName);
    }
}
