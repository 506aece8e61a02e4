package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.command.CreateAccountStatus.CODE_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREATED;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREDITS_PENDING_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.CREDITS_POSTED_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.DEBITS_PENDING_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.DEBITS_POSTED_MUST_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_CODE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_FLAGS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_LEDGER;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_128;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_32;
import static com.fanzfinance.ledger.command.CreateAccountStatus.EXISTS_WITH_DIFFERENT_USER_DATA_64;
import static com.fanzfinance.ledger.command.CreateAccountStatus.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
import static com.fanzfinance.ledger.command.CreateAccountStatus.ID_MUST_NOT_BE_INT_MAX;
import static com.fanzfinance.ledger.command.CreateAccountStatus.ID_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
import static com.fanzfinance.ledger.command.CreateAccountStatus.LEDGER_MUST_NOT_BE_ZERO;
import static com.fanzfinance.ledger.command.CreateAccountStatus.RESERVED_FIELD;
import static com.fanzfinance.ledger.command.CreateAccountStatus.RESERVED_FLAG;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.AccountView;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;

/**
 * TigerBeetle's {@code create_account}: validate → exists? → check → create, in the documented
 * precedence. Runs after the batch prelude (linked chains, imported and timestamp checks).
 */
final class AccountCreation {
    private final LedgerState state;
    private final AccountStore accounts;
    private final LedgerListener listener;

    /** The timestamp to report for {@code created} and {@code exists}: the account's own. */
    private long objectTimestamp;

    AccountCreation(LedgerState state, LedgerListener listener) {
        this.state = state;
        this.accounts = state.accounts();
        this.listener = listener;
    }

    long objectTimestamp() {
        return objectTimestamp;
    }

    CreateAccountStatus create(AccountView account, int tenant, long timestamp) {
        CreateAccountStatus invalid = validateIdentity(account);
        if (invalid != null) {
            return invalid;
        }
        int existing = accounts.find(account.idLow(), account.idHigh());
        if (existing >= 0) {
            objectTimestamp = accounts.get(existing, AccountStore.TIMESTAMP);
            return compareWithExisting(account, existing);
        }
        invalid = validateFields(account, timestamp);
        if (invalid != null) {
            return invalid;
        }
        insert(account, tenant, timestamp);
        objectTimestamp = timestamp;
        return CREATED;
    }

    private static CreateAccountStatus validateIdentity(AccountView account) {
        if (account.reserved() != 0) {
            return RESERVED_FIELD;
        }
        if ((account.flags() & ~AccountFlags.ALL) != 0) {
            return RESERVED_FLAG;
        }
        if (account.idLow() == 0 && account.idHigh() == 0) {
            return ID_MUST_NOT_BE_ZERO;
        }
        if (account.idLow() == -1 && account.idHigh() == -1) {
            return ID_MUST_NOT_BE_INT_MAX;
        }
        return null;
    }

    private CreateAccountStatus compareWithExisting(AccountView account, int slot) {
        if (account.flags() != accounts.flags(slot)) {
            return EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (account.userData128Low() != accounts.get(slot, AccountStore.USER_DATA_128_LOW)
            || account.userData128High() != accounts.get(slot, AccountStore.USER_DATA_128_HIGH)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (account.userData64() != accounts.get(slot, AccountStore.USER_DATA_64)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (account.userData32() != accounts.userData32(slot)) {
            return EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (account.ledger() != accounts.ledger(slot)) {
            return EXISTS_WITH_DIFFERENT_LEDGER;
        }
        if (account.code() != accounts.code(slot)) {
            return EXISTS_WITH_DIFFERENT_CODE;
        }
        return EXISTS;
    }

    private CreateAccountStatus validateFields(AccountView account, long timestamp) {
        int flags = account.flags();
        if (AccountFlags.isSet(flags, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
            && AccountFlags.isSet(flags, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)) {
            return FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (account.isNonZero128(AccountLayout.DEBITS_PENDING)) {
            return DEBITS_PENDING_MUST_BE_ZERO;
        }
        if (account.isNonZero128(AccountLayout.DEBITS_POSTED)) {
            return DEBITS_POSTED_MUST_BE_ZERO;
        }
        if (account.isNonZero128(AccountLayout.CREDITS_PENDING)) {
            return CREDITS_PENDING_MUST_BE_ZERO;
        }
        if (account.isNonZero128(AccountLayout.CREDITS_POSTED)) {
            return CREDITS_POSTED_MUST_BE_ZERO;
        }
        if (account.ledger() == 0) {
            return LEDGER_MUST_NOT_BE_ZERO;
        }
        if (account.code() == 0) {
            return CODE_MUST_NOT_BE_ZERO;
        }
        if (AccountFlags.isSet(flags, AccountFlags.IMPORTED)
            && (timestamp <= state.maxAccountTimestamp() || state.transferHasTimestamp(timestamp))) {
            return IMPORTED_EVENT_TIMESTAMP_MUST_NOT_REGRESS;
        }
        return null;
    }

    /** Point of no return: the account exists from here on (until a linked chain rolls it back). */
    private void insert(AccountView account, int tenant, long timestamp) {
        int slot = accounts.insert(account.idLow(), account.idHigh());
        accounts.set(slot, AccountStore.USER_DATA_128_LOW, account.userData128Low());
        accounts.set(slot, AccountStore.USER_DATA_128_HIGH, account.userData128High());
        accounts.set(slot, AccountStore.USER_DATA_64, account.userData64());
        accounts.set(slot, AccountStore.LEDGER_CODE_FLAGS,
            AccountStore.packLedgerCodeFlags(account.ledger(), account.code(), account.flags()));
        accounts.set(slot, AccountStore.USER_DATA_32_AND_TENANT,
            AccountStore.packUserData32AndTenant(account.userData32(), tenant));
        accounts.set(slot, AccountStore.TIMESTAMP, timestamp);
        listener.accountCreated(slot);
    }
}
