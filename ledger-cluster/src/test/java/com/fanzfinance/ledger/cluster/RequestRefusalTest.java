package com.fanzfinance.ledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.journal.CommandType;

/**
 * What the service refuses before it touches the state: every member decides alike, and nothing on the ingress
 * can make applying a command throw (which would stop every member at the same log entry).
 */
class RequestRefusalTest {
    @Test
    void aWellFormedCommandPasses() {
        UnsafeBuffer limits = request(CommandType.SET_LIMITS, 1, 0, 0);
        LedgerLimits.of(10, 100).encode(limits, ClusterProtocol.REQUEST_HEADER);
        assertThat(LedgerClusteredService.refusalOf(limits, 0, limits.capacity())).isNull();
        UnsafeBuffer transfers = request(CommandType.CREATE_TRANSFERS, 3, 2, 0);
        assertThat(LedgerClusteredService.refusalOf(transfers, 0, transfers.capacity())).isNull();
    }

    @Test
    void recordsThatCannotBeDecodedAreRefused() {
        UnsafeBuffer limits = request(CommandType.SET_LIMITS, 1, 0, 0);
        limits.setMemory(ClusterProtocol.REQUEST_HEADER, 128, (byte) 0xFF);
        assertThat(LedgerClusteredService.refusalOf(limits, 0, limits.capacity())).contains("set_limits");
        UnsafeBuffer tenant = request(CommandType.SET_TENANT, 1, 0, 0);
        tenant.setMemory(ClusterProtocol.REQUEST_HEADER, 128, (byte) 0xFF);
        assertThat(LedgerClusteredService.refusalOf(tenant, 0, tenant.capacity())).contains("set_tenant");
    }

    @Test
    void shapesThatDoNotAddUpAreRefused() {
        UnsafeBuffer tick = request(CommandType.TICK, 0, 0, 0);
        assertThat(LedgerClusteredService.refusalOf(tick, 0, tick.capacity())).contains("command type");
        UnsafeBuffer accounts = request(CommandType.CREATE_ACCOUNTS, 3, 2, 0);
        assertThat(LedgerClusteredService.refusalOf(accounts, 0, accounts.capacity())).contains("tenants");
        UnsafeBuffer transfers = request(CommandType.CREATE_TRANSFERS, 2, 0, 0);
        assertThat(LedgerClusteredService.refusalOf(transfers, 0, transfers.capacity() - 1)).contains("header says");
        UnsafeBuffer sideData = request(CommandType.CREATE_TRANSFERS, 1, 0, 16);
        sideData.setMemory(sideData.capacity() - 16, 16, (byte) 0x7F);
        assertThat(LedgerClusteredService.refusalOf(sideData, 0, sideData.capacity())).contains("side data");
        UnsafeBuffer tooMany = request(CommandType.CREATE_TRANSFERS, 1, 0, 0);
        tooMany.putInt(ClusterProtocol.EVENT_COUNT, 8190);
        assertThat(LedgerClusteredService.refusalOf(tooMany, 0, tooMany.capacity())).contains("8189");
    }

    private static UnsafeBuffer request(CommandType type, int events, int tenants, int sideData) {
        int eventsLength = type == CommandType.TICK ? 0 : events * 128;
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[ClusterProtocol.REQUEST_HEADER + eventsLength + tenants * 4
            + sideData]);
        buffer.putInt(ClusterProtocol.TYPE, type.code());
        buffer.putInt(ClusterProtocol.EVENT_COUNT, events);
        buffer.putInt(ClusterProtocol.TENANT_COUNT, tenants);
        buffer.putInt(ClusterProtocol.SIDE_DATA_LENGTH, sideData);
        return buffer;
    }
}
