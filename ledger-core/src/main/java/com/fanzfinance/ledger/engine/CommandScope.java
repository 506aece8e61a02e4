package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;

/**
 * The tenants the command being applied may touch (4-byte tenant numbers in the command's own buffer),
 * or none for an unscoped command (an admin's, or an embedding program's): what the tenant checks, the
 * quotas and the ownership of failed ids read. Set for each command by the state machine; read only on
 * its thread.
 */
final class CommandScope {
    private DirectBuffer tenants;
    private int offset;
    private int count;

    void set(DirectBuffer scopeTenants, int scopeOffset, int scopeCount) {
        this.tenants = scopeTenants;
        this.offset = scopeOffset;
        this.count = scopeCount;
    }

    void clear() {
        set(null, 0, 0);
    }

    boolean isScoped() {
        return count > 0;
    }

    int count() {
        return count;
    }

    int tenant(int index) {
        return tenants.getInt(offset + index * Integer.BYTES);
    }

    /**
     * Whose the command's transfers and failures are: the scope's first tenant, or 0 when unscoped. A key
     * of several tenants is accounted to the first it names.
     */
    int owner() {
        return count == 0 ? 0 : tenant(0);
    }

    boolean contains(int tenant) {
        for (int i = 0; i < count; i++) {
            if (tenant(i) == tenant) {
                return true;
            }
        }
        return false;
    }
}
