package com.fanzfinance.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code FANZ_READ_MODEL_WRITERS}: the connections the projector and a rebuild write on at once, 1 to 4, 2 by default. */
class ReadModelWritersSettingTest {
    @Test
    void twoByDefaultOneToFourAcceptedOthersRefused() {
        assertThat(load(Map.of()).readModel().writers()).isEqualTo(2);
        assertThat(load(Map.of("FANZ_READ_MODEL_WRITERS", "1")).readModel().writers()).isEqualTo(1);
        assertThat(load(Map.of("FANZ_READ_MODEL_WRITERS", "4")).readModel().writers()).isEqualTo(4);
        for (String refused : new String[] {"0", "5", "two"}) {
            assertThatThrownBy(() -> load(Map.of("FANZ_READ_MODEL_WRITERS", refused)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FANZ_READ_MODEL_WRITERS");
        }
    }

    private static ServerConfig load(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FANZ_DATA_DIR", "/tmp/fanz-read-model-writers-setting-test");
        return ServerConfig.load(environment);
    }
}
