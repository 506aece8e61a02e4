package com.fanzfinance.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code FANZ_SNAPSHOT_EVERY_BYTES}: its default follows the stores (small snapshots of mapped stores are taken often);
 * and the launcher's own {@code FANZ_} variables beside the settings.
 */
class SnapshotSettingsTest {
    @Test
    void mappedStoresSnapshotEvery128MibAndHeapStoresEveryGibUnlessSetOtherwise() {
        assertThat(load(Map.of()).engine().snapshotEveryBytes()).isEqualTo(128L << 20);
        assertThat(load(Map.of("FANZ_MAPPED_STORES", "false")).engine().snapshotEveryBytes()).isEqualTo(1L << 30);
        assertThat(load(Map.of("FANZ_SNAPSHOT_EVERY_BYTES", "5000000")).engine().snapshotEveryBytes()).isEqualTo(5_000_000L);
        assertThat(load(Map.of("FANZ_SNAPSHOT_EVERY_BYTES", "5000000", "FANZ_MAPPED_STORES", "false")).engine()
            .snapshotEveryBytes()).isEqualTo(5_000_000L);
        assertThatThrownBy(() -> load(Map.of("FANZ_SNAPSHOT_EVERY_BYTES", "1000"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("FANZ_SNAPSHOT_EVERY_BYTES must be in 1048576..1099511627776, was 1000");
    }

    @Test
    void theLaunchersOwnVariablesAreNotRefusedAsUnknownSettings() {
        assertThat(load(Map.of("FANZ_CDS", "off", "FANZ_JAVA_OPTS", "-Xmx1g")).engine().snapshotEveryBytes())
            .isEqualTo(128L << 20);
        assertThatThrownBy(() -> load(Map.of("FANZ_CDSS", "off"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("FANZ_CDSS is not a setting");
    }

    private static ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", "/tmp/fanz-snapshot-settings-test");
        return ServerConfig.load(environment);
    }
}
