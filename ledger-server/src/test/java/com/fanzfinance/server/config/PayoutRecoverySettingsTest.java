package com.fanzfinance.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code FANZ_PAYOUT_RECOVERY_SECONDS}: 30 unless set, 1–3600. */
class PayoutRecoverySettingsTest {
    @Test
    void theSweepLeavesUnfinishedPayoutsToTheirCallerForThirtySecondsUnlessSetOtherwise() {
        assertThat(load(Map.of()).payments().payoutRecoverySeconds()).isEqualTo(30);
        assertThat(load(Map.of("FANZ_PAYOUT_RECOVERY_SECONDS", "2")).payments().payoutRecoverySeconds()).isEqualTo(2);
        assertThat(load(Map.of("FANZ_PAYOUT_RECOVERY_SECONDS", "3600")).payments().payoutRecoverySeconds()).isEqualTo(3600);
        for (String refused : new String[] {"0", "3601", "-1", "soon"}) {
            assertThatThrownBy(() -> load(Map.of("FANZ_PAYOUT_RECOVERY_SECONDS", refused)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FANZ_PAYOUT_RECOVERY_SECONDS");
        }
    }

    private static ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", "/tmp/fanz-payout-recovery-settings-test");
        return ServerConfig.load(environment);
    }
}
