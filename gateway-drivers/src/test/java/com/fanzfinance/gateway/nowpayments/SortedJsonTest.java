package com.fanzfinance.gateway.nowpayments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SortedJsonTest {

    private static String sorted(String json) {
        Map<String, Object> object = LexicalJson.parseObject(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        return new String(SortedJson.bytes(object), StandardCharsets.UTF_8);
    }

    @Test
    void sortsKeysAtEveryLevelIncludingInsideArrays() {
        assertThat(sorted("{\"b\":{\"z\":1,\"a\":[{\"y\":true,\"x\":false}]},\"a\":null,\"B\":\"\"}"))
                .isEqualTo("{\"B\":\"\",\"a\":null,\"b\":{\"a\":[{\"x\":false,\"y\":true}],\"z\":1}}");
    }

    @Test
    void sortsByUtf16CodeUnitsAsJavaScriptDoes() {
        assertThat(sorted("{\"\uD83D\uDE00\":1,\"\uFF21\":2,\"10\":3,\"9\":4,\"_\":5,\"a\":6}"))
                .isEqualTo("{\"10\":3,\"9\":4,\"_\":5,\"a\":6,\"\uD83D\uDE00\":1,\"\uFF21\":2}");
    }

    @Test
    void escapesStringsAsJsonStringifyDoes() {
        assertThat(sorted("{\"s\":\"q\\\" b\\\\ \\/ \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f é \\u20ac \\ud83d\\ude00 \\ud800 \\udc00x\"}"))
                .isEqualTo("{\"s\":\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0001 \\u001f \u007f é € \uD83D\uDE00 \\ud800 \\udc00x\"}");
    }

    @Test
    void writesNumbersAsJavaScriptAndDropsWhiteSpace() {
        assertThat(sorted("{ \"n\" : [ 1.0, 2e-7, 0.000001, 1E21, -0, 20.00 ] }"))
                .isEqualTo("{\"n\":[1,2e-7,0.000001,1e+21,0,20]}");
    }

    @Test
    void aRepeatedNameKeepsItsLastValueAsJsonParseDoes() {
        assertThat(sorted("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void lexicalReaderKeepsNumberTextAndRefusesNonObjects() {
        Map<String, Object> object = LexicalJson.parseObject(
                "{\"a\":20.00,\"b\":1E+21,\"c\":-0,\"d\":[1.50]}".getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(object).containsEntry("a", new LexicalJson.Number("20.00"))
                .containsEntry("b", new LexicalJson.Number("1E+21"))
                .containsEntry("c", new LexicalJson.Number("-0"))
                .containsEntry("d", List.of(new LexicalJson.Number("1.50")));
        assertThat(LexicalJson.parseObject("[1]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(LexicalJson.parseObject("{} {}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(LexicalJson.parseObject("{\"a\":01}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(LexicalJson.parseObject(new byte[0])).isEmpty();
    }
}
