package com.fanzfinance.gateway.nowpayments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what {@code JSON.stringify(JSON.parse(lexeme))} prints in Node.js. */
class EcmaScriptNumbersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1.0, 1",
            "20.00, 20",
            "0, 0",
            "-0, 0",
            "-0.0, 0",
            "0.000001, 0.000001",
            "0.0000010, 0.000001",
            "1e-6, 0.000001",
            "1e-7, 1e-7",
            "0.0000002, 2e-7",
            "1.5e-7, 1.5e-7",
            "123e-20, 1.23e-18",
            "0.1, 0.1",
            "0.30000000000000004, 0.30000000000000004",
            "1e20, 100000000000000000000",
            "123456789012345680000, 123456789012345680000",
            "123456789012345678901, 123456789012345680000",
            "1e21, 1e+21",
            "1.5e21, 1.5e+21",
            "-1e21, -1e+21",
            "-2.5, -2.5",
            "9007199254740993, 9007199254740992",
            "5800567260, 5800567260",
            "1765249461097, 1765249461097",
            "0.00656612, 0.00656612",
            "5e-324, 5e-324",
            "2.2250738585072014e-308, 2.2250738585072014e-308",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "1e400, null",
            "100, 100",
            "1234.5678, 1234.5678"
    })
    void printsAsJavaScriptDoes(String lexeme, String expected) {
        assertThat(EcmaScriptNumbers.jsonText(lexeme)).isEqualTo(expected);
    }
}
