package com.fanzfinance.server.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The rebuild's map of outstanding pending transfers against a plain map, across growth and removals. */
class PendingTimestampsTest {
    private record Id(long low, long high) {
    }

    @Test
    void agreesWithAMapThroughPutsRemovalsAndGrowth() {
        PendingTimestamps pendings = new PendingTimestamps();
        Map<Id, Long> expected = new HashMap<>();
        List<Id> known = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20);
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(10);
            if (action < 6 || known.isEmpty()) {
                // Sequential and random ids, some sharing a low or a high half with another.
                Id id = switch (random.nextInt(3)) {
                    case 0 -> new Id(step, 0);
                    case 1 -> new Id(random.nextLong(), random.nextLong());
                    default -> new Id(7, step);
                };
                long timestamp = 1 + random.nextLong(Long.MAX_VALUE - 1);
                pendings.put(id.low(), id.high(), timestamp);
                if (expected.put(id, timestamp) == null) {
                    known.add(id);
                }
            } else {
                Id id = action < 9 ? known.get(random.nextInt(known.size())) : new Id(random.nextLong(), -1);
                Long was = expected.remove(id);
                assertThat(pendings.remove(id.low(), id.high())).isEqualTo(was == null ? -1 : was);
            }
            assertThat(pendings.size()).isEqualTo(expected.size());
        }
        for (Id id : known) {
            Long was = expected.remove(id);
            assertThat(pendings.remove(id.low(), id.high())).as("%s", id).isEqualTo(was == null ? -1 : was);
        }
        assertThat(pendings.size()).isZero();
    }

    @Test
    void aTimestampMustBePositive() {
        assertThatThrownBy(() -> new PendingTimestamps().put(1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
