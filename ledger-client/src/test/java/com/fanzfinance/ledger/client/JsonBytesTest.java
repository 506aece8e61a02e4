package com.fanzfinance.ledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The numbers and UUIDs written straight into byte arrays against the JDK's own spelling of them: every power of
 * ten and its neighbours, every bit length, the extremes, and random values; every hex digit in every position.
 */
class JsonBytesTest {
    @Test
    void writesEveryNumberAsTheJdkSpellsIt() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        long power = 1;
        for (int i = 0; i <= 18; i++) {
            values.addAll(List.of(power - 1, power, power + 1, -power, -power + 1, -power - 1));
            power *= 10;
        }
        long tenToThe19 = Long.parseUnsignedLong("10000000000000000000");
        values.addAll(List.of(tenToThe19 - 1, tenToThe19, tenToThe19 + 1));
        for (int bits = 0; bits < 64; bits++) {
            values.addAll(List.of(1L << bits, (1L << bits) - 1, (1L << bits) + 1));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextLong() >>> random.nextInt(64));
            values.add(random.nextLong());
        }
        byte[] out = new byte[32];
        for (long value : values) {
            String unsigned = Long.toUnsignedString(value);
            assertThat(JsonBytes.unsignedLength(value)).as("length of %s", unsigned).isEqualTo(unsigned.length());
            int end = JsonBytes.putUnsigned(out, 3, value);
            assertThat(new String(out, 3, end - 3, StandardCharsets.US_ASCII)).isEqualTo(unsigned);
            String signed = Long.toString(value);
            assertThat(JsonBytes.signedLength(value)).isEqualTo(signed.length());
            end = JsonBytes.putSigned(out, 1, value);
            assertThat(new String(out, 1, end - 1, StandardCharsets.US_ASCII)).isEqualTo(signed);
        }
    }

    @Test
    void writesEveryUuidAsTheJdkSpellsIt() {
        List<long[]> values = new ArrayList<>(List.of(new long[] {0, 0}, new long[] {-1, -1},
            new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new long[] {0x0123456789abcdefL, 0xfedcba9876543210L}));
        for (int nibble = 0; nibble < 32; nibble++) {
            for (long digit = 0; digit < 16; digit++) {
                long high = nibble < 16 ? digit << (60 - 4 * nibble) : 0;
                long low = nibble >= 16 ? digit << (60 - 4 * (nibble - 16)) : 0;
                values.add(new long[] {high, low});
                values.add(new long[] {~high, ~low});
            }
        }
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            values.add(new long[] {random.nextLong(), random.nextLong()});
        }
        byte[] out = new byte[JsonBytes.UUID_BYTES + 4];
        for (long[] value : values) {
            out[1] = 'x';
            out[JsonBytes.UUID_BYTES + 2] = 'y';
            int end = JsonBytes.putUuid(out, 2, value[0], value[1]);
            assertThat(end).isEqualTo(2 + JsonBytes.UUID_BYTES);
            assertThat(new String(out, 2, JsonBytes.UUID_BYTES, StandardCharsets.US_ASCII))
                .isEqualTo(new UUID(value[0], value[1]).toString());
            assertThat(out[1]).as("nothing written before").isEqualTo((byte) 'x');
            assertThat(out[JsonBytes.UUID_BYTES + 2]).as("nothing written after").isEqualTo((byte) 'y');
        }
    }
}
