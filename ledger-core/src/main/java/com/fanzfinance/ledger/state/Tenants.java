package com.fanzfinance.ledger.state;

import java.util.Arrays;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.command.TenantSettings;

/**
 * The tenants the journal registered (slug ↔ number, own quotas) and what each tenant uses: accounts,
 * transfers and transiently failed transfer ids created by commands scoped to it. Both are decided and
 * changed only by journaled commands, so replay rebuilds them exactly; both are in snapshots and in the
 * state hash.
 *
 * <p>Numbers are never reused: the next one assigned is above every number registered and every number
 * an account carries (embedding programs may create accounts with numbers they chose).
 *
 * <p>Owned by the business-logic thread.
 */
public final class Tenants {
    private static final int ACCOUNTS = 0;
    private static final int TRANSFERS = 1;
    private static final int FAILED = 2;

    private final Object2IntHashMap<String> numbersBySlug = new Object2IntHashMap<>(0);
    private final Int2ObjectHashMap<TenantSettings> settingsByNumber = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<long[]> usageByNumber = new Int2ObjectHashMap<>();
    private int highestNumber;

    /** Registers a tenant or changes its quotas; returns the status, and the number through {@code number}. */
    public SetTenantStatus apply(TenantSettings settings, int[] number) {
        int registered = numbersBySlug.getValue(settings.slug());
        int wanted = settings.number();
        if (registered != 0 && wanted != 0 && wanted != registered) {
            number[0] = registered;
            return SetTenantStatus.SLUG_HAS_ANOTHER_NUMBER;
        }
        if (registered == 0 && wanted != 0 && settingsByNumber.containsKey(wanted)) {
            number[0] = 0;
            return SetTenantStatus.NUMBER_TAKEN;
        }
        int assigned = registered != 0 ? registered : wanted != 0 ? wanted : highestNumber + 1;
        if (assigned <= 0) {
            number[0] = 0;
            return SetTenantStatus.NUMBERS_EXHAUSTED;
        }
        numbersBySlug.put(settings.slug(), assigned);
        settingsByNumber.put(assigned, new TenantSettings(assigned, settings.slug(), settings.accountsMax(),
            settings.transfersMax()));
        noteNumber(assigned);
        number[0] = assigned;
        return SetTenantStatus.OK;
    }

    /** Raises the next number past one an account carries. */
    public void noteNumber(int number) {
        if (number > highestNumber) {
            highestNumber = number;
        }
    }

    /** The tenant's number, or 0 if the slug is not registered. */
    public int numberOf(String slug) {
        return numbersBySlug.getValue(slug);
    }

    /** The tenant's settings, or null if the number is not registered. */
    public TenantSettings settings(int number) {
        return settingsByNumber.get(number);
    }

    /** Every registered tenant, by number. */
    public TenantSettings[] all() {
        int[] numbers = sortedNumbers();
        TenantSettings[] all = new TenantSettings[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            all[i] = settingsByNumber.get(numbers[i]);
        }
        return all;
    }

    public int highestNumber() {
        return highestNumber;
    }

    public long accounts(int tenant) {
        return usage(tenant, ACCOUNTS);
    }

    public long transfers(int tenant) {
        return usage(tenant, TRANSFERS);
    }

    public long failedIds(int tenant) {
        return usage(tenant, FAILED);
    }

    public void addAccounts(int tenant, long count) {
        add(tenant, ACCOUNTS, count);
    }

    public void addTransfers(int tenant, long count) {
        add(tenant, TRANSFERS, count);
    }

    public void addFailedIds(int tenant, long count) {
        add(tenant, FAILED, count);
    }

    /** The most accounts the tenant may hold: its own quota, else the ledger's. */
    public long accountsMax(int tenant, LedgerLimits limits) {
        TenantSettings own = settingsByNumber.get(tenant);
        return own != null && own.accountsMax() != 0 ? own.accountsMax() : limits.tenantAccountsMax();
    }

    /** The most transfers and failed ids the tenant's commands may create: its own quota, else the ledger's. */
    public long transfersMax(int tenant, LedgerLimits limits) {
        TenantSettings own = settingsByNumber.get(tenant);
        return own != null && own.transfersMax() != 0 ? own.transfersMax() : limits.tenantTransfersMax();
    }

    /**
     * A canonical form for snapshots and the state hash: highest number, then per registered tenant
     * (number, slug length, slug bytes packed into longs, accounts max, transfers max), then per tenant with
     * usage (number, accounts, transfers, failed ids), both in number order.
     */
    public long[] export() {
        int[] registered = sortedNumbers();
        int[] used = usageByNumber.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        long[] out = new long[3 + registered.length * 8 + used.length * 4];
        int at = 0;
        out[at++] = highestNumber;
        out[at++] = registered.length;
        for (int number : registered) {
            TenantSettings settings = settingsByNumber.get(number);
            byte[] slug = settings.slug().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out[at++] = number;
            out[at++] = slug.length;
            byte[] padded = Arrays.copyOf(slug, TenantSettings.SLUG_MAX_BYTES);
            for (int word = 0; word < 4; word++) {
                out[at++] = java.nio.ByteBuffer.wrap(padded, word * 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            }
            out[at++] = settings.accountsMax();
            out[at++] = settings.transfersMax();
        }
        out[at++] = used.length;
        for (int number : used) {
            long[] usage = usageByNumber.get(number);
            out[at++] = number;
            out[at++] = usage[ACCOUNTS];
            out[at++] = usage[TRANSFERS];
            out[at++] = usage[FAILED];
        }
        return out;
    }

    /** Replaces everything with what {@link #export()} produced (snapshot restore). */
    public void importFrom(long[] in) {
        numbersBySlug.clear();
        settingsByNumber.clear();
        usageByNumber.clear();
        int at = 0;
        highestNumber = (int) in[at++];
        long registered = in[at++];
        for (long i = 0; i < registered; i++) {
            int number = (int) in[at++];
            int length = (int) in[at++];
            java.nio.ByteBuffer slug = java.nio.ByteBuffer.allocate(TenantSettings.SLUG_MAX_BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int word = 0; word < 4; word++) {
                slug.putLong(in[at++]);
            }
            String text = new String(slug.array(), 0, length, java.nio.charset.StandardCharsets.US_ASCII);
            TenantSettings settings = new TenantSettings(number, text, in[at++], in[at++]);
            numbersBySlug.put(text, number);
            settingsByNumber.put(number, settings);
        }
        long used = in[at++];
        for (long i = 0; i < used; i++) {
            int number = (int) in[at++];
            usageByNumber.put(number, new long[] {in[at++], in[at++], in[at++]});
        }
    }

    private int[] sortedNumbers() {
        return settingsByNumber.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private long usage(int tenant, int kind) {
        long[] usage = usageByNumber.get(tenant);
        return usage == null ? 0 : usage[kind];
    }

    private void add(int tenant, int kind, long count) {
        if (count == 0) {
            return;
        }
        long[] usage = usageByNumber.get(tenant);
        if (usage == null) {
            usage = new long[3];
            usageByNumber.put(tenant, usage);
        }
        usage[kind] += count;
    }
}
