package com.fanzfinance.server.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The binary COPY rows of {@link CopyBuffer}, read back with an independent reader of PostgreSQL's format, and
 * {@link CopyBuffer#sortRows}: the same rows in key order, ties in the order they were added.
 */
class CopyBufferTest {
    /** A postings-like row: an account id, a timestamp and a sequence number to tell rows apart. */
    private record Row(UUID account, long timestamp, long sequence) {
    }

    @Test
    void rowsReadBackAsWrittenWithHeaderAndTrailer() throws IOException {
        CopyBuffer buffer = new CopyBuffer(3);
        List<Row> rows = List.of(new Row(new UUID(1, 2), 10, 0), new Row(new UUID(-1, -2), -5, 1));
        rows.forEach(row -> add(buffer, row));

        assertThat(read(buffer.stream())).containsExactlyElementsOf(rows);
    }

    @Test
    void sortedRowsAreInUnsignedAccountOrderAndAnAccountKeepsItsOrder() throws IOException {
        Random random = new Random(11);
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            accounts.add(new UUID(random.nextLong(), random.nextLong()));
            accounts.add(new UUID(0, random.nextLong()));
        }
        accounts.add(new UUID(0x7FFF_FFFF_FFFF_FFFFL, 1));
        accounts.add(new UUID(0x8000_0000_0000_0000L, 1));
        accounts.add(new UUID(0, 1));
        accounts.add(new UUID(-1, 1));
        List<Row> added = new ArrayList<>();
        CopyBuffer buffer = new CopyBuffer(3);
        for (int i = 0; i < 20_000; i++) {
            Row row = new Row(accounts.get(random.nextInt(accounts.size())), 1_000_000 + i, i);
            added.add(row);
            add(buffer, row);
        }

        buffer.sortRows(6);
        List<Row> sorted = read(buffer.stream());

        // PostgreSQL compares uuids byte by byte: as unsigned 64-bit halves, high half first.
        List<Row> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparing((Row row) -> row.account().getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(row -> row.account().getLeastSignificantBits(), Long::compareUnsigned)
            .thenComparingLong(Row::sequence));
        assertThat(sorted).containsExactlyElementsOf(expected);
    }

    @Test
    void aBufferSortedTwiceOrWithRowsAddedAfterASortStaysConsistent() throws IOException {
        CopyBuffer buffer = new CopyBuffer(3);
        add(buffer, new Row(new UUID(5L << 56, 0), 1, 0));
        add(buffer, new Row(new UUID(3L << 56, 0), 2, 1));
        buffer.sortRows(6);
        add(buffer, new Row(new UUID(4L << 56, 0), 3, 2));
        add(buffer, new Row(new UUID(4L << 56, 0), 4, 3));
        add(buffer, new Row(new UUID(4L << 56, -1), 5, 4));
        buffer.sortRows(6);
        buffer.sortRows(6);

        assertThat(read(buffer.stream())).extracting(Row::sequence).containsExactly(1L, 2L, 3L, 4L, 0L);
        // The low half decides between ids whose high halves are equal (sequential ids have a high half of 0).
        buffer.clear();
        add(buffer, new Row(new UUID(0, 3), 1, 7));
        add(buffer, new Row(new UUID(0, -1), 2, 8));
        add(buffer, new Row(new UUID(0, 2), 3, 9));
        add(buffer, new Row(new UUID(0, 3), 4, 10));
        buffer.sortRows(6);
        assertThat(read(buffer.stream())).extracting(Row::sequence).containsExactly(9L, 7L, 10L, 8L);
        buffer.clear();
        add(buffer, new Row(new UUID(9, 0), 4, 9));
        assertThat(read(buffer.stream())).extracting(Row::sequence).containsExactly(9L);
    }

    @Test
    void theRowOrderIsTheStableUnsignedOrderAtEverySizeAndShapeOfInput() {
        Random random = new Random(5);
        int[] sizes = {0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 95, 96, 97, 1000, 4097, 70_001};
        for (int n : sizes) {
            for (String shape : List.of("random", "few keys", "one key", "ascending", "descending", "sign bits")) {
                long[] high = new long[n];
                long[] low = new long[n];
                for (int i = 0; i < n; i++) {
                    switch (shape) {
                        case "random" -> {
                            high[i] = random.nextLong();
                            low[i] = random.nextLong();
                        }
                        case "few keys" -> {
                            high[i] = random.nextInt(3) - 1;
                            low[i] = random.nextInt(4) - 2;
                        }
                        case "one key" -> {
                            high[i] = 7;
                            low[i] = -7;
                        }
                        case "ascending" -> low[i] = i / 3;
                        case "descending" -> low[i] = n - i / 3;
                        default -> {
                            high[i] = random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                            low[i] = random.nextBoolean() ? 0x8000_0000_0000_0000L : 0x7FFF_FFFF_FFFF_FFFFL;
                        }
                    }
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(i);
                }
                expected.sort(Comparator.comparing((Integer row) -> high[row], Long::compareUnsigned)
                    .thenComparing(row -> low[row], Long::compareUnsigned)
                    .thenComparingInt(row -> row));

                int[] order = new int[n + 3];
                int[] merging = new int[n + 3];
                int[] result = CopyBuffer.stableOrder(high, low, n, order, merging);

                assertThat(result).as("%d rows, %s", n, shape).isIn(order, merging);
                assertThat(java.util.Arrays.copyOf(result, n)).as("%d rows, %s", n, shape)
                    .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    @Test
    void rowsOfDifferentSizesOrAnUnfinishedRowAreNotSorted() {
        CopyBuffer variable = new CopyBuffer(2);
        variable.row().int8(1).jsonb(null);
        variable.row().int8(2).jsonb("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatIllegalStateException().isThrownBy(() -> variable.sortRows(2));

        CopyBuffer unfinished = new CopyBuffer(3);
        add(unfinished, new Row(new UUID(1, 1), 1, 1));
        unfinished.row().int8(1);
        assertThatIllegalStateException().isThrownBy(() -> unfinished.sortRows(6));

        CopyBuffer keyOutside = new CopyBuffer(3);
        add(keyOutside, new Row(new UUID(1, 1), 1, 1));
        add(keyOutside, new Row(new UUID(2, 1), 1, 2));
        assertThatIllegalStateException().isThrownBy(() -> keyOutside.sortRows(60));
    }

    private static void add(CopyBuffer buffer, Row row) {
        UnsafeBuffer id = new UnsafeBuffer(new byte[16]);
        id.putLong(0, row.account().getLeastSignificantBits());
        id.putLong(8, row.account().getMostSignificantBits());
        buffer.row().uuid(id, 0).int8(row.timestamp()).int8(row.sequence());
    }

    /** Reads rows of (uuid, int8, int8) in PostgreSQL's binary COPY format, checking its framing. */
    private static List<Row> read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] signature = new byte[11];
        in.readFully(signature);
        assertThat(signature).containsExactly('P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0);
        assertThat(in.readInt()).as("flags").isZero();
        assertThat(in.readInt()).as("header extension").isZero();
        List<Row> rows = new ArrayList<>();
        while (true) {
            short fields = in.readShort();
            if (fields == -1) {
                assertThat(in.read()).as("nothing after the trailer").isEqualTo(-1);
                return rows;
            }
            assertThat(fields).isEqualTo((short) 3);
            assertThat(in.readInt()).isEqualTo(16);
            UUID account = new UUID(in.readLong(), in.readLong());
            assertThat(in.readInt()).isEqualTo(8);
            long timestamp = in.readLong();
            assertThat(in.readInt()).isEqualTo(8);
            rows.add(new Row(account, timestamp, in.readLong()));
        }
    }
}
