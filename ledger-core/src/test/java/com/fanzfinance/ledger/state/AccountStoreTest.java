package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Insertion, lookup, field storage, packing helpers, growth, limits and truncation of the {@link AccountStore}. */
class AccountStoreTest {
    /** More than one 4096-account page of cold fields, so page boundaries are crossed. */
    private static final int ACCOUNTS = 10_000;

    private record Id(long low, long high) {
    }

    @Test
    void sequentialIdsAreFoundAtTheirSlotsAndOthersAreNot() {
        AccountStore store = new AccountStore(1_000_000, ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(store.insert(i + 1, 0)).isEqualTo(i);
        }

        assertThat(store.count()).isEqualTo(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(store.find(i + 1, 0)).isEqualTo(i);
            assertThat(store.get(i, AccountStore.ID_LOW)).isEqualTo(i + 1);
            assertThat(store.get(i, AccountStore.ID_HIGH)).isZero();
        }
        assertThat(store.find(0, 0)).isEqualTo(-1);
        assertThat(store.find(ACCOUNTS + 1, 0)).isEqualTo(-1);
        assertThat(store.find(1, 1)).isEqualTo(-1);
    }

    @Test
    void randomIdsAreFoundAtTheirSlotsAndOthersAreNot() {
        AccountStore store = new AccountStore(1_000_000, ACCOUNTS);
        List<Id> ids = randomIds(new Random(1), ACCOUNTS);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(store.insert(ids.get(i).low(), ids.get(i).high())).isEqualTo(i);
        }

        for (int i = 0; i < ids.size(); i++) {
            assertThat(store.find(ids.get(i).low(), ids.get(i).high())).isEqualTo(i);
        }
        Set<Id> known = new HashSet<>(ids);
        Random other = new Random(2);
        for (int i = 0; i < 5_000; i++) {
            Id id = new Id(other.nextLong(), other.nextLong());
            if (!known.contains(id)) {
                assertThat(store.find(id.low(), id.high())).isEqualTo(-1);
            }
        }
        Id first = ids.get(0);
        assertThat(store.find(first.low(), first.high() + 1)).isEqualTo(-1);
        assertThat(store.find(first.low() + 1, first.high())).isEqualTo(-1);
    }

    @Test
    void aHintIsUsedOnlyWhenItsSlotHoldsTheIdAndAnyOtherHintFallsBackToTheLookup() {
        AccountStore store = new AccountStore(1_000, 100);
        for (int i = 0; i < 100; i++) {
            store.insert(i + 1, 7);
        }

        for (int i = 0; i < 100; i++) {
            assertThat(store.find(i + 1, 7, i)).isEqualTo(i);
            assertThat(store.find(i + 1, 7, (i + 1) % 100)).as("wrong slot").isEqualTo(i);
            assertThat(store.find(i + 1, 7, -1)).as("no hint").isEqualTo(i);
            assertThat(store.find(i + 1, 7, 100)).as("past the last account").isEqualTo(i);
            assertThat(store.find(i + 1, 7, Integer.MAX_VALUE)).as("far past it").isEqualTo(i);
        }
        assertThat(store.find(101, 7, 5)).as("an unknown id with a hint").isEqualTo(-1);
        assertThat(store.find(1, 8, 0)).as("same low half, other high half").isEqualTo(-1);

        store.truncate(50);
        assertThat(store.find(60, 7, 59)).as("a hint to a slot rolled back").isEqualTo(-1);
    }

    @Test
    void theThreeLoadStepsResolveAccountsAtTheirHomePositionAndNothingElse() {
        AccountStore store = new AccountStore(100_000, 2_000);
        List<Id> ids = randomIds(new Random(3), 2_000);
        for (Id id : ids) {
            store.insert(id.low(), id.high());
        }
        AccountTransferLists lists = new AccountTransferLists(MemoryFactory.inMemory(), 16);

        int atHome = 0;
        for (int i = 0; i < ids.size(); i++) {
            Id id = ids.get(i);
            int slot = store.slotAt(store.homeEntry(id.low(), id.high()), id.low(), id.high());
            // Either the account itself, or -1 when a collision put it further along its probe sequence.
            assertThat(slot).isIn(i, -1);
            if (slot == i) {
                atHome++;
            }
            assertThat(store.touchList(slot, lists)).isZero();
        }
        assertThat(atHome).as("most accounts sit at their home position").isGreaterThan(ids.size() / 2);
        Id unknown = new Id(ids.get(0).low() ^ 1, ids.get(0).high());
        assertThat(store.slotAt(store.homeEntry(unknown.low(), unknown.high()), unknown.low(), unknown.high()))
            .isEqualTo(-1);
        assertThat(store.slotAt(0, 1, 1)).as("an empty index entry").isEqualTo(-1);
        assertThat(store.touchList(-1, lists)).isZero();
    }

    @Test
    void aNewAccountHasEveryFieldButItsIdZero() {
        AccountStore store = new AccountStore(100, 10);
        int slot = store.insert(5, 6);

        for (int field = AccountStore.DEBITS_PENDING; field < AccountStore.FIELDS; field++) {
            assertThat(store.get(slot, field)).as("field %d", field).isZero();
        }
    }

    @Test
    void everyFieldOfEveryAccountKeepsItsOwnValue() {
        AccountStore store = new AccountStore(1_000_000, 100);
        for (int i = 0; i < ACCOUNTS; i++) {
            store.insert(i + 1, -(i + 1));
        }
        for (int slot = 0; slot < ACCOUNTS; slot++) {
            for (int field = AccountStore.DEBITS_PENDING; field < AccountStore.FIELDS; field++) {
                store.set(slot, field, fieldValue(slot, field));
            }
        }

        for (int slot = 0; slot < ACCOUNTS; slot++) {
            assertThat(store.get(slot, AccountStore.ID_LOW)).isEqualTo(slot + 1);
            assertThat(store.get(slot, AccountStore.ID_HIGH)).isEqualTo(-(slot + 1));
            for (int field = AccountStore.DEBITS_PENDING; field < AccountStore.FIELDS; field++) {
                assertThat(store.get(slot, field)).as("slot %d field %d", slot, field).isEqualTo(fieldValue(slot, field));
            }
            assertThat(store.find(slot + 1, -(slot + 1))).isEqualTo(slot);
        }
    }

    @Test
    void hotAndColdFieldsOfNeighbouringSlotsDoNotOverlap() {
        AccountStore store = new AccountStore(10_000, 10);
        for (int i = 0; i < 4_100; i++) {
            store.insert(i + 1, 0);
        }
        int[] slots = {0, 1, 4_094, 4_095, 4_096, 4_097};
        for (int slot : slots) {
            store.set(slot, AccountStore.TRANSFER_LIST_HEAD, Long.MAX_VALUE);
            store.set(slot, AccountStore.USER_DATA_128_LOW, Long.MIN_VALUE);
            store.set(slot, AccountStore.TIMESTAMP, -1);
        }

        for (int slot : slots) {
            assertThat(store.get(slot, AccountStore.ID_LOW)).isEqualTo(slot + 1);
            assertThat(store.get(slot, AccountStore.LEDGER_CODE_FLAGS)).isZero();
            assertThat(store.get(slot, AccountStore.USER_DATA_32_AND_TENANT)).isZero();
            assertThat(store.get(slot, AccountStore.TRANSFER_LIST_HEAD)).isEqualTo(Long.MAX_VALUE);
            assertThat(store.get(slot, AccountStore.USER_DATA_128_LOW)).isEqualTo(Long.MIN_VALUE);
            assertThat(store.get(slot, AccountStore.TIMESTAMP)).isEqualTo(-1);
        }
        assertThat(store.get(2, AccountStore.TRANSFER_LIST_HEAD)).isZero();
        assertThat(store.get(4_093, AccountStore.TIMESTAMP)).isZero();
        assertThat(store.get(4_098, AccountStore.USER_DATA_128_LOW)).isZero();
    }

    @Test
    void ledgerCodeAndFlagsRoundTripAtTheirLargestValues() {
        AccountStore store = new AccountStore(10, 10);
        int slot = store.insert(1, 1);

        store.set(slot, AccountStore.LEDGER_CODE_FLAGS, AccountStore.packLedgerCodeFlags(0xFFFF_FFFF, 0xFFFF, 0xFFFF));

        assertThat(store.ledger(slot)).isEqualTo(0xFFFF_FFFF);
        assertThat(Integer.toUnsignedLong(store.ledger(slot))).isEqualTo(0xFFFF_FFFFL);
        assertThat(store.code(slot)).isEqualTo(0xFFFF);
        assertThat(store.flags(slot)).isEqualTo(0xFFFF);
    }

    @Test
    void ledgerCodeAndFlagsAreIndependentOfEachOther() {
        AccountStore store = new AccountStore(10, 10);
        int slot = store.insert(1, 1);

        store.set(slot, AccountStore.LEDGER_CODE_FLAGS, AccountStore.packLedgerCodeFlags(0x8000_0001, 0x1234, 0x8001));
        assertThat(store.ledger(slot)).isEqualTo(0x8000_0001);
        assertThat(store.code(slot)).isEqualTo(0x1234);
        assertThat(store.flags(slot)).isEqualTo(0x8001);

        store.set(slot, AccountStore.LEDGER_CODE_FLAGS, AccountStore.packLedgerCodeFlags(7, 0, 0xFFFF));
        assertThat(store.ledger(slot)).isEqualTo(7);
        assertThat(store.code(slot)).isZero();
        assertThat(store.flags(slot)).isEqualTo(0xFFFF);

        store.set(slot, AccountStore.LEDGER_CODE_FLAGS, AccountStore.packLedgerCodeFlags(-1, 0xFFFF, 0));
        assertThat(store.ledger(slot)).isEqualTo(-1);
        assertThat(store.code(slot)).isEqualTo(0xFFFF);
        assertThat(store.flags(slot)).isZero();
    }

    @Test
    void packLedgerCodeFlagsPutsEachPartInItsDocumentedBits() {
        assertThat(AccountStore.packLedgerCodeFlags(0x1122_3344, 0x5566, 0x7788)).isEqualTo(0x7788_5566_1122_3344L);
    }

    @Test
    void userData32AndTenantRoundTripIncludingNegativeValues() {
        AccountStore store = new AccountStore(10, 10);
        int slot = store.insert(1, 1);
        int[][] cases = {{-1, -1}, {-5, 7}, {7, -5}, {Integer.MIN_VALUE, Integer.MAX_VALUE}, {Integer.MAX_VALUE, Integer.MIN_VALUE}, {0, -1}, {-1, 0}};

        for (int[] pair : cases) {
            store.set(slot, AccountStore.USER_DATA_32_AND_TENANT, AccountStore.packUserData32AndTenant(pair[0], pair[1]));

            assertThat(store.userData32(slot)).as("user data 32 of %d/%d", pair[0], pair[1]).isEqualTo(pair[0]);
            assertThat(store.tenant(slot)).as("tenant of %d/%d", pair[0], pair[1]).isEqualTo(pair[1]);
        }
    }

    @Test
    void truncateRemovesTheNewestAccountsAndKeepsTheOlderOnes() {
        AccountStore store = new AccountStore(1_000_000, 100);
        List<Id> ids = randomIds(new Random(3), ACCOUNTS);
        for (Id id : ids) {
            int slot = store.insert(id.low(), id.high());
            store.set(slot, AccountStore.TIMESTAMP, slot + 1L);
            store.set(slot, AccountStore.DEBITS_POSTED, 10L * slot);
        }
        int kept = 6_001;

        store.truncate(kept);

        assertThat(store.count()).isEqualTo(kept);
        for (int i = 0; i < kept; i++) {
            assertThat(store.find(ids.get(i).low(), ids.get(i).high())).isEqualTo(i);
            assertThat(store.get(i, AccountStore.TIMESTAMP)).isEqualTo(i + 1L);
            assertThat(store.get(i, AccountStore.DEBITS_POSTED)).isEqualTo(10L * i);
        }
        for (int i = kept; i < ids.size(); i++) {
            assertThat(store.find(ids.get(i).low(), ids.get(i).high())).isEqualTo(-1);
        }
    }

    @Test
    void insertsAfterTruncateReuseTheSlotsWithZeroedFields() {
        AccountStore store = new AccountStore(1_000_000, 100);
        for (int i = 0; i < 5_000; i++) {
            int slot = store.insert(i + 1, 0);
            for (int field = AccountStore.DEBITS_PENDING; field < AccountStore.FIELDS; field++) {
                store.set(slot, field, fieldValue(slot, field));
            }
        }
        store.truncate(4_000);

        List<Id> fresh = randomIds(new Random(4), 2_000);
        for (int i = 0; i < fresh.size(); i++) {
            int slot = store.insert(fresh.get(i).low(), fresh.get(i).high());
            assertThat(slot).isEqualTo(4_000 + i);
            for (int field = AccountStore.DEBITS_PENDING; field < AccountStore.FIELDS; field++) {
                assertThat(store.get(slot, field)).as("slot %d field %d", slot, field).isZero();
            }
        }

        assertThat(store.count()).isEqualTo(6_000);
        for (int i = 0; i < 4_000; i++) {
            assertThat(store.find(i + 1, 0)).isEqualTo(i);
        }
        for (int i = 4_000; i < 5_000; i++) {
            assertThat(store.find(i + 1, 0)).isEqualTo(-1);
        }
        for (int i = 0; i < fresh.size(); i++) {
            assertThat(store.find(fresh.get(i).low(), fresh.get(i).high())).isEqualTo(4_000 + i);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void repeatedInsertAndRollbackOfTheNewestAccountNeverFillsTheIndex() {
        AccountStore store = new AccountStore(1_000, 10);
        store.insert(1, 1);
        Random random = new Random(5);

        for (int i = 0; i < 20_000; i++) {
            long low = random.nextLong();
            assertThat(store.insert(low, 2)).isEqualTo(1);
            store.truncate(1);
            assertThat(store.find(low, 2)).isEqualTo(-1);
        }

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.find(1, 1)).isZero();
    }

    @Test
    void truncateToTheCurrentCountChangesNothing() {
        AccountStore store = new AccountStore(100, 10);
        store.insert(1, 2);
        store.set(0, AccountStore.TIMESTAMP, 99);

        store.truncate(1);

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.find(1, 2)).isZero();
        assertThat(store.get(0, AccountStore.TIMESTAMP)).isEqualTo(99);
    }

    @Test
    void growsFarBeyondExpectedAccounts() {
        AccountStore store = new AccountStore(1_000_000, 1);
        long initialBytes = store.memoryBytes();
        int accounts = 70_000;
        for (int i = 0; i < accounts; i++) {
            int slot = store.insert(IdHash.hash(i, 9), i);
            store.set(slot, AccountStore.CREDITS_POSTED, i);
            store.set(slot, AccountStore.USER_DATA_64, -i);
        }

        assertThat(store.count()).isEqualTo(accounts);
        assertThat(store.memoryBytes()).isGreaterThan(initialBytes);
        for (int i = 0; i < accounts; i++) {
            int slot = store.find(IdHash.hash(i, 9), i);
            assertThat(slot).isEqualTo(i);
            assertThat(store.get(slot, AccountStore.CREDITS_POSTED)).isEqualTo(i);
            assertThat(store.get(slot, AccountStore.USER_DATA_64)).isEqualTo(-i);
        }
    }

    @Test
    void insertingPastAccountsMaxThrowsAndLeavesTheStoreIntact() {
        AccountStore store = new AccountStore(3, 3);
        store.insert(1, 0);
        store.insert(2, 0);
        store.insert(3, 0);

        assertThatIllegalStateException().isThrownBy(() -> store.insert(4, 0));
        assertThat(store.count()).isEqualTo(3);
        assertThat(store.accountsMax()).isEqualTo(3);
        assertThat(store.find(4, 0)).isEqualTo(-1);
        assertThat(store.find(3, 0)).isEqualTo(2);
    }

    @Test
    void aTruncatedStoreAcceptsInsertsUpToAccountsMaxAgain() {
        AccountStore store = new AccountStore(2, 2);
        store.insert(1, 0);
        store.insert(2, 0);
        store.truncate(1);

        assertThat(store.insert(3, 0)).isEqualTo(1);
        assertThatIllegalStateException().isThrownBy(() -> store.insert(4, 0));
    }

    @Test
    void accountsMaxMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountStore(0, 0));
    }

    private static long fieldValue(int slot, int field) {
        return IdHash.hash(slot, field);
    }

    private static List<Id> randomIds(Random random, int count) {
        Set<Id> seen = new HashSet<>();
        List<Id> ids = new ArrayList<>();
        while (ids.size() < count) {
            Id id = new Id(random.nextLong(), random.nextLong());
            if (seen.add(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
