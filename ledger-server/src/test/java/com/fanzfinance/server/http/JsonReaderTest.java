package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonToken;

/** The request parser: exact metadata, and no token that can make it read or hold more than it must. */
class JsonReaderTest {
    private static final long SIXTY_MIB = 60L << 20;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"n\":1e400}|{\"n\":1e400}",
        "{\"n\":-0}|{\"n\":-0}",
        "{\"n\":-0.0}|{\"n\":-0.0}",
        "{\"n\":1.0,\"m\":1}|{\"n\":1.0,\"m\":1}",
        "{\"n\":0.1000000000000000055511151231257827}|{\"n\":0.1000000000000000055511151231257827}",
        "{\"n\":12345678901234567890123}|{\"n\":12345678901234567890123}",
        "{\"n\":-12345678901234567890123.000}|{\"n\":-12345678901234567890123.000}",
        "{\"n\":1E-7}|{\"n\":1E-7}",
        "{ \"b\" : [ 1 , { } , [ ] ] , \"a\" : \"x\" }|{\"b\":[1,{},[]],\"a\":\"x\"}",
        "{\"s\":\"\\u00e9\\ud83d\\ude00\"}|{\"s\":\"é😀\"}",
        "{\"s\":\"\\u0000\\n\"}|{\"s\":\"\\u0000\\n\"}"})
    void metadataIsCopiedExactly(String sent, String stored) {
        assertThat(metadata(sent)).isEqualTo(stored);
    }

    @Test
    void metadataOverItsLimitIsRefused() {
        String fits = "{\"s\":\"" + "x".repeat(4096 - 8) + "\"}";
        assertThat(metadata(fits)).hasSize(4096);
        String over = "{\"s\":\"" + "x".repeat(4096 - 7) + "\"}";
        assertThatThrownBy(() -> metadata(over)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.type()).isEqualTo("invalid-field");
            assertThat(problem.pointer()).isEqualTo("/metadata");
            assertThat(problem.getMessage()).contains("4096");
        });
        assertThatThrownBy(() -> metadata(numbered(2000))).isInstanceOf(Problem.class);
    }

    @Test
    void aSixtyMebibyteMetadataStringIsCutOffWhileReadingNotAfter() {
        CountingStream body = new CountingStream(concat("{\"metadata\":{\"note\":\"", repeat('x', SIXTY_MIB)));
        assertThatThrownBy(() -> readMetadata(body)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.type()).isEqualTo("invalid-field");
            assertThat(problem.pointer()).isEqualTo("/metadata");
        });
        assertThat(body.read).isLessThan(1L << 20);
    }

    @Test
    void aLongKeyOrNumberIsCutOffWhileReading() {
        CountingStream key = new CountingStream(concat("{\"metadata\":{\"", repeat('k', SIXTY_MIB)));
        assertThatThrownBy(() -> readMetadata(key)).isInstanceOf(Problem.class);
        assertThat(key.read).isLessThan(1L << 20);
        CountingStream number = new CountingStream(concat("{\"metadata\":{\"n\":1", repeat('0', SIXTY_MIB)));
        assertThatThrownBy(() -> readMetadata(number)).isInstanceOf(Problem.class);
        assertThat(number.read).isLessThan(1L << 20);
        CountingStream amount = new CountingStream(concat("{\"amount\":1", repeat('0', SIXTY_MIB)));
        assertThatThrownBy(() -> {
            try (JsonReader json = new JsonReader(amount)) {
                json.expect(JsonToken.START_OBJECT, "", "an object");
                json.next("");
                json.unsigned64("/amount", JsonReader.I63_MAX);
            }
        }).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.type()).isEqualTo("invalid-field");
            assertThat(problem.pointer()).isEqualTo("/amount");
        });
        assertThat(amount.read).isLessThan(1L << 20);
    }

    @Test
    void wholeNumbersOfManyDigitsAreOutOfRangeNotParsed() {
        String digits = "9".repeat(4000);
        try (JsonReader json = new JsonReader(stream("{\"amount\":" + digits + "}"))) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            json.next("");
            assertThatThrownBy(() -> json.unsigned64("/amount", JsonReader.I63_MAX))
                .isInstanceOfSatisfying(Problem.class, problem -> {
                    assertThat(problem.type()).isEqualTo("invalid-field");
                    assertThat(problem.getMessage()).contains("4000 digits").hasSizeLessThan(200);
                });
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"0\"|I63|0", "\"007\"|I63|7", "\"123456789012345678\"|I63|123456789012345678",
        "\"9223372036854775807\"|I63|9223372036854775807", "9223372036854775807|I63|9223372036854775807",
        "\"9999999999999999999\"|U64|-8446744073709551617", "\"18446744073709551615\"|U64|-1",
        "18446744073709551615|U64|-1", "9223372036854775808|U64|-9223372036854775808", "42|U64|42",
        "\"00000000000000000019\"|I63|19", "\"18446744073709551610\"|U64|-6", "\"1844674407370955161\"|U64|1844674407370955161"})
    void wholeNumbersAsTextOrJsonIntegersUpToTheirMaximumAreTheirLow64Bits(String value, String max, long expected) {
        assertThat(unsigned64(value, max)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"9223372036854775808\"|I63|must be in 0..9223372036854775807, was 9223372036854775808",
        "9223372036854775808|I63|must be in 0..9223372036854775807, was 9223372036854775808",
        "\"18446744073709551616\"|U64|must be in 0..18446744073709551615, was 18446744073709551616",
        "\"99999999999999999999\"|U64|was 99999999999999999999",
        "\"18446744073709551620\"|U64|must be in 0..18446744073709551615, was 18446744073709551620",
        "\"18446744073709551616\"|I63|must be in 0..9223372036854775807, was 18446744073709551616",
        "\"09223372036854775808\"|I63|must be in 0..9223372036854775807, was 9223372036854775808",
        "\"10000000000000000000\"|I63|must be in 0..9223372036854775807, was 10000000000000000000",
        "\"123456789012345678901\"|U64|a non-negative whole number expected, found '123456789012345678901'",
        "\"-1\"|U64|a non-negative whole number expected, found '-1'",
        "-1|U64|must be in 0..18446744073709551615, was -1",
        "-9223372036854775808|I63|was -9223372036854775808",
        "\"\"|I63|a non-negative whole number expected, found ''",
        "\"1e3\"|I63|a non-negative whole number expected, found '1e3'",
        "\" 1\"|I63|a non-negative whole number expected, found ' 1'"})
    void wholeNumbersOutOfRangeOrNotDecimalAreRefusedNamingTheValue(String value, String max, String message) {
        assertThatThrownBy(() -> unsigned64(value, max)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.type()).isEqualTo("invalid-field");
            assertThat(problem.pointer()).isEqualTo("/amount");
            assertThat(problem.getMessage()).contains(message);
        });
    }

    @Test
    void uuidsAreReadFromTheParsersBufferAndOnlyCanonicalOnesPass() {
        assertThat(uuid("\"0123abcd-4567-89ef-0123-456789abcdef\"")).isEqualTo(
            com.fanzfinance.ledger.command.Uint128.of(0x0123abcd456789efL, 0x0123456789abcdefL));
        assertThat(uuid("null")).isEqualTo(com.fanzfinance.ledger.command.Uint128.ZERO);
        for (String bad : new String[] {"\"0123ABCD-4567-89ef-0123-456789abcdef\"", "\"0123abcd4567-89ef-0123-456789abcdef0\"",
            "\"0123abcd-4567-89ef-0123-456789abcde\"", "\"0123abcd-4567-89ef-0123-456789abcdeg\""}) {
            assertThatThrownBy(() -> uuid(bad)).as(bad).isInstanceOfSatisfying(Problem.class, problem ->
                assertThat(problem.getMessage()).contains("not a canonical UUID: '" + bad.substring(1, bad.length() - 1) + "'"));
        }
    }

    private static long unsigned64(String value, String max) {
        try (JsonReader json = new JsonReader(stream("{\"amount\":" + value + "}"))) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            json.next("");
            return json.unsigned64("/amount", max.equals("I63") ? JsonReader.I63_MAX : JsonReader.U64_MAX);
        }
    }

    private static com.fanzfinance.ledger.command.Uint128 uuid(String value) {
        try (JsonReader json = new JsonReader(stream("{\"id\":" + value + "}"))) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            json.next("");
            return json.uuid("/id");
        }
    }

    @Test
    void aLoneSurrogateStaysAnEscape() {
        assertThat(metadata("{\"s\":\"a\\ud800b\"}")).isEqualTo("{\"s\":\"a\\uD800b\"}");
    }

    @Test
    void bytesInNoValidEncodingAreMalformedJsonNotAnAbortedRequest() {
        byte[] utf32 = {0, 0, 0, '{', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> {
            try (JsonReader json = new JsonReader(new ByteArrayInputStream(utf32))) {
                json.expect(JsonToken.START_OBJECT, "", "an object");
                json.next("");
            }
        }).isInstanceOfSatisfying(Problem.class, problem -> assertThat(problem.type()).isEqualTo("malformed-json"));
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThatThrownBy(() -> metadata(deep)).isInstanceOf(Problem.class);
    }

    private static String numbered(int count) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":").append(i);
        }
        return text.append('}').toString();
    }

    private static String metadata(String object) {
        byte[] bytes = readMetadata(stream("{\"metadata\":" + object + "}"));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readMetadata(InputStream body) {
        try (JsonReader json = new JsonReader(body)) {
            json.expect(JsonToken.START_OBJECT, "", "an object");
            json.next("");
            byte[] bytes = json.object("/metadata");
            json.expect(JsonToken.END_OBJECT, "", "the end of the object");
            return bytes;
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream concat(String head, InputStream tail) {
        return new SequenceInputStream(stream(head), tail);
    }

    /** {@code length} bytes of {@code b}, made as they are read. */
    private static InputStream repeat(char b, long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                return left-- > 0 ? b : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(count, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) b);
                left -= n;
                return n;
            }
        };
    }

    /** Counts the bytes the parser pulled. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws java.io.IOException {
            int n = super.read(buffer, offset, count);
            read += Math.max(n, 0);
            return n;
        }
    }
}
