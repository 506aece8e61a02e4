package com.fanzfinance.ledger.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * The transfer batch body written byte by byte is, byte for byte, what Jackson's generator writes through
 * {@link RecordJson} — for every value of every field and any metadata — and is the API's encoding.
 */
class JsonRequestWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** 0, ±1, the extremes, and where the count of decimal digits changes, signed or (up to 10^19) unsigned. */
    private static final List<Long> EDGES = edges();

    /** jqwik's own edge cases are off (here they outnumber the tries, and it logs so); the generators mix in theirs. */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void writesJacksonsBytesForAnyBatch(@ForAll("batches") List<NewTransfer> batch) {
        assertSameBytes(batch);
    }

    @Test
    void writesEveryFieldInTheApiEncoding() {
        Transfer transfer = new Transfer(Uint128.of(0x0123_4567_89ab_cdefL, 0xfedc_ba98_7654_3210L), Uint128.of(1, 2),
            Uint128.MAX, Long.MAX_VALUE, Uint128.ZERO, Uint128.of(Long.MIN_VALUE, 1), Long.MIN_VALUE, -1,
            Integer.MIN_VALUE, -7, 65535,
            TransferFlags.LINKED | TransferFlags.POST_PENDING_TRANSFER | TransferFlags.IMPORTED | 1 << 12, // no flag's bit
            -1L, PendingStatus.NONE);
        List<NewTransfer> batch = List.of(NewTransfer.of(transfer).withMetadata("{ \"k\" : \"v\\\"ü😀\" }"));

        assertThat(new String(JsonRequestWriter.transfers(batch), UTF_8)).isEqualTo("{\"transfers\":[{"
            + "\"id\":\"01234567-89ab-cdef-fedc-ba9876543210\","
            + "\"debit_account_id\":\"00000000-0000-0001-0000-000000000002\","
            + "\"credit_account_id\":\"ffffffff-ffff-ffff-ffff-ffffffffffff\","
            + "\"amount\":\"9223372036854775807\","
            + "\"pending_id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"user_data_128\":\"80000000-0000-0000-0000-000000000001\","
            + "\"user_data_64\":\"9223372036854775808\","
            + "\"user_data_32\":4294967295,"
            + "\"timeout\":2147483648,"
            + "\"ledger\":-7,"
            + "\"code\":65535,"
            + "\"flags\":[\"linked\",\"post_pending_transfer\",\"imported\"],"
            + "\"timestamp\":\"18446744073709551615\","
            + "\"metadata\":{\"k\":\"v\\\"ü😀\"}}]}");
        assertSameBytes(batch);
    }

    @Test
    void separatesTransfersAndWritesZerosAndNoFlags() {
        Transfer zero = new Transfer(Uint128.ZERO, Uint128.ZERO, Uint128.ZERO, 0, Uint128.ZERO, Uint128.ZERO, 0, 0, 0,
            0, 0, 0, 0, PendingStatus.NONE);
        String zeroJson = "{\"id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"debit_account_id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"credit_account_id\":\"00000000-0000-0000-0000-000000000000\",\"amount\":\"0\","
            + "\"pending_id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"user_data_128\":\"00000000-0000-0000-0000-000000000000\",\"user_data_64\":\"0\",\"user_data_32\":0,"
            + "\"timeout\":0,\"ledger\":0,\"code\":0,\"flags\":[],\"timestamp\":\"0\"";
        List<NewTransfer> batch = List.of(NewTransfer.of(zero), NewTransfer.of(zero).withMetadata("{}"));

        assertThat(new String(JsonRequestWriter.transfers(batch), UTF_8))
            .isEqualTo("{\"transfers\":[" + zeroJson + "}," + zeroJson + ",\"metadata\":{}}]}");
        assertSameBytes(batch);
    }

    @Test
    void writesAnEmptyBatch() {
        assertThat(new String(JsonRequestWriter.transfers(List.of()), UTF_8)).isEqualTo("{\"transfers\":[]}");
        assertSameBytes(List.of());
    }

    /** Jackson writes a long raw value in segments of characters; a pair of surrogates may fall across any of them. */
    @Test
    void writesASupplementaryCharacterAtEveryOffsetOfTheLongestMetadata() {
        Transfer transfer = Transfer.of(Uint128.of(1), Uint128.of(2), Uint128.of(3), 4, 5, 6);
        List<NewTransfer> batch = new ArrayList<>();
        int longestPad = SideData.METADATA_MAX_BYTES - "{\"k\":\"😀\"}".getBytes(UTF_8).length;
        for (int pad = 0; pad <= longestPad; pad++) {
            batch.add(NewTransfer.of(transfer).withMetadata("{\"k\":\"" + "a".repeat(pad) + "😀\"}"));
        }
        assertSameBytes(batch);
    }

    /** Such metadata passes the client's checks, but Jackson refuses to write it; so does the client, as before. */
    @Test
    void refusesMetadataWithALoneSurrogateAsJacksonDoes() {
        Transfer transfer = Transfer.of(Uint128.of(1), Uint128.of(2), Uint128.of(3), 4, 5, 6);
        for (String metadata : List.of("{\"k\":\"\\ud800\"}", "{\"k\":\"\\udc00\\ud800\"}", "{\"k\":\"x\uDC00\"}")) {
            List<NewTransfer> batch = List.of(NewTransfer.of(transfer), NewTransfer.of(transfer).withMetadata(metadata));

            assertThat(JsonTransferBody.tryWrite(batch)).isNull();
            assertThatThrownBy(() -> JsonRequestWriter.transfersWithJackson(batch))
                .isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> JsonRequestWriter.transfers(batch))
                .isInstanceOf(UncheckedIOException.class).hasMessage("cannot write a request body");
        }
    }

    /** The byte-by-byte body itself (not a fallback to Jackson) against Jackson's. */
    private static void assertSameBytes(List<NewTransfer> batch) {
        byte[] expected = JsonRequestWriter.transfersWithJackson(batch);
        byte[] actual = JsonTransferBody.tryWrite(batch);
        assertThat(actual).as("the byte-by-byte body").isNotNull();
        assertThat(new String(actual, UTF_8)).isEqualTo(new String(expected, UTF_8));
        assertThat(Arrays.equals(actual, expected)).as("the same bytes").isTrue();
        assertThat(JsonRequestWriter.transfers(batch)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<NewTransfer>> batches() {
        Arbitrary<Transfer> transfers = Combinators.combine(uint128s().list().ofSize(5),
                anyLongs().filter(amount -> amount >= 0), anyLongs(), anyLongs(), anyInts().list().ofSize(3),
                unsigned16s().list().ofSize(2))
            .as((ids, amount, userData64, timestamp, ints, u16s) -> new Transfer(ids.get(0), ids.get(1), ids.get(2),
                amount, ids.get(3), ids.get(4), userData64, ints.get(0), ints.get(1), ints.get(2), u16s.get(0),
                u16s.get(1), timestamp, PendingStatus.NONE));
        Arbitrary<String> metadata = Arbitraries.oneOf(Arbitraries.just("{\"k\":\"v\\\"ü😀\"}"), metadataObjects())
            .injectNull(0.5);
        return Combinators.combine(transfers, metadata).as(NewTransfer::new).list().ofMinSize(1).ofMaxSize(50);
    }

    /** Small values, uniform ones (high bits set) and {@link #EDGES}. */
    private static Arbitrary<Long> anyLongs() {
        return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.longs()),
            Tuple.of(2, Arbitraries.longs().withDistribution(RandomDistribution.uniform())),
            Tuple.of(1, Arbitraries.of(EDGES)));
    }

    private static Arbitrary<Integer> anyInts() {
        List<Integer> edges = new ArrayList<>(List.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1,
            Integer.MAX_VALUE));
        EDGES.stream().filter(edge -> edge == edge.intValue()).forEach(edge -> edges.add(edge.intValue()));
        return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.integers()),
            Tuple.of(2, Arbitraries.integers().withDistribution(RandomDistribution.uniform())),
            Tuple.of(1, Arbitraries.of(edges)));
    }

    /** Codes and flags: every combination of the flags, with and without bits no flag has. */
    private static Arbitrary<Integer> unsigned16s() {
        return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.integers().between(0, 0xFFFF)),
            Tuple.of(2, Arbitraries.integers().between(0, 0xFFFF).withDistribution(RandomDistribution.uniform())),
            Tuple.of(1, Arbitraries.of(0, 9, 10, 99, 100, 999, 1000, 9999, 10000, TransferFlags.ALL, 0xFFFF)));
    }

    private static Arbitrary<Uint128> uint128s() {
        Arbitrary<Long> halves = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.longs()),
            Tuple.of(3, Arbitraries.longs().withDistribution(RandomDistribution.uniform())),
            Tuple.of(1, Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)));
        return Combinators.combine(halves, halves).as(Uint128::of);
    }

    /** JSON objects of text in every range of UTF-8 (and escapes), numbers and arrays, as a client might send them. */
    private static Arbitrary<String> metadataObjects() {
        Arbitrary<String> texts = codePoints().list().ofMaxSize(12).map(codePoints -> codePoints.stream()
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        Arbitrary<Object> values = Arbitraries.oneOf(texts, Arbitraries.longs(), Arbitraries.of(true, false),
            texts.list().ofMaxSize(3));
        return Arbitraries.maps(texts, values).ofMaxSize(5).map(JsonRequestWriterTest::json);
    }

    /** One character of 1, 2, 3 or 4 bytes in UTF-8 (the last a pair of surrogates in Java). */
    private static Arbitrary<Integer> codePoints() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 0x7F), Arbitraries.integers().between(0x80, 0x7FF),
            Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> !Character.isSurrogate((char) (int) c)),
            Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT));
    }

    private static String json(Map<String, Object> members) {
        try {
            return MAPPER.writeValueAsString(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> edges() {
        List<Long> edges = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
            Long.MAX_VALUE));
        long power = 10;
        for (int k = 1; k <= 19; k++) {
            for (long edge : new long[] {power - 1, power}) { // 10^19 overflows: read as unsigned, it is still 10^19
                edges.add(edge);
                edges.add(-edge);
            }
            power *= 10;
        }
        return edges;
    }
}
