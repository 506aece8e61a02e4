package com.fanzfinance.payouts.ach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AbaRoutingTest {

    /** Known answers from PAYMENT-PROTOCOLS B3.3 (checked against moov-io/ach's sample files). */
    @ParameterizedTest
    @CsvSource({"23138010, 4", "09140060, 6", "12104288, 2", "03130001, 2", "00000000, 0"})
    void checkDigitKnownAnswers(String eightDigits, int expected) {
        assertThat(AbaRouting.checkDigit(eightDigits)).isEqualTo(expected);
        assertThat(AbaRouting.isValid(eightDigits + expected)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"231380105", "091400600", "121042881", "231380140"})
    void wrongCheckDigitOrSwappedDigitsAreInvalid(String nineDigits) {
        assertThat(AbaRouting.isValid(nineDigits)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"23138010", "2313801040", " 23138010", "23138010a", "２３１３８０１０４", "-31380104"})
    void notNineAsciiDigitsIsInvalid(String text) {
        assertThat(AbaRouting.isValid(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2313801", "231380104", "2313801x"})
    void checkDigitNeedsEightDigits(String text) {
        assertThatThrownBy(() -> AbaRouting.checkDigit(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void everySingleDigitChangeIsCaught() {
        String valid = "231380104";
        for (int position = 0; position < 9; position++) {
            for (char digit = '0'; digit <= '9'; digit++) {
                if (digit == valid.charAt(position)) {
                    continue;
                }
                String changed = valid.substring(0, position) + digit + valid.substring(position + 1);
                assertThat(AbaRouting.isValid(changed)).as(changed).isFalse();
            }
        }
    }
}
