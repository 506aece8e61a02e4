package com.fanzfinance.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The {@code FANZ_CLUSTER_*} settings: off by default, an odd number of members, payments off in a cluster. */
class ClusterSettingsTest {
    @Test
    void oneNodeByDefault() {
        ServerConfig config = load(Map.of());
        assertThat(config.cluster().enabled()).isFalse();
        assertThat(config.payments().enabled()).isTrue();
    }

    @Test
    void threeMembersWithTheirPortsTimesAndPacketSize() {
        ServerConfig config = load(Map.of("FANZ_CLUSTER_MEMBERS", "ledger-a.internal, ledger-b.internal,10.0.0.3",
            "FANZ_CLUSTER_MEMBER", "2", "FANZ_CLUSTER_PORT", "9200", "FANZ_CLUSTER_SNAPSHOT_MINUTES", "0",
            "FANZ_CLUSTER_HEARTBEAT_MS", "1500", "FANZ_CLUSTER_MTU", "8960"));
        ServerConfig.Cluster cluster = config.cluster();
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.members()).containsExactly("ledger-a.internal", "ledger-b.internal", "10.0.0.3");
        assertThat(cluster.member()).isEqualTo(2);
        assertThat(cluster.basePort()).isEqualTo(9200);
        assertThat(cluster.snapshotInterval()).isEqualTo(Duration.ZERO);
        assertThat(cluster.heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(cluster.mtu()).isEqualTo(8960);
        assertThat(config.payments().enabled()).as("payments do not run on a clustered ledger").isFalse();
    }

    @Test
    void badClustersAreRefusedNamingTheSetting() {
        refused(Map.of("FANZ_CLUSTER_MEMBERS", "a,b"), "FANZ_CLUSTER_MEMBERS must name 1, 3, 5 or 7 hosts");
        refused(Map.of("FANZ_CLUSTER_MEMBERS", "a,b,c", "FANZ_CLUSTER_MEMBER", "3"), "FANZ_CLUSTER_MEMBER must be 0..2");
        refused(Map.of("FANZ_CLUSTER_MEMBERS", "a,b c,d"), "FANZ_CLUSTER_MEMBERS");
        refused(Map.of("FANZ_CLUSTER_MEMBERS", "a,b,c", "FANZ_CLUSTER_MTU", "1400"), "FANZ_CLUSTER_MTU must be a multiple of 32");
        refused(Map.of("FANZ_CLUSTER_HEARTBEAT_MS", "100"), "FANZ_CLUSTER_HEARTBEAT_MS");
        refused(Map.of("FANZ_CLUSTER_MEMBERS", "a,b,c", "FANZ_PAYMENTS", "true"),
            "payments do not run on a clustered ledger");
    }

    private static ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", "/tmp/fanz-cluster-settings-test");
        return ServerConfig.load(environment);
    }

    private static void refused(Map<String, String> settings, String problem) {
        assertThatThrownBy(() -> load(settings)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }
}
