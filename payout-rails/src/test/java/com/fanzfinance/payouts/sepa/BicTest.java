package com.fanzfinance.payouts.sepa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BicTest {

    @ParameterizedTest
    @ValueSource(strings = {"DEUTDEFF", "DEUTDEFF500", "NEDSZAJJXXX", "BANKBGFFXXX", "BNPAFRPP", "ABNANL2A",
        "RZOOAT2L420", "INGBNL2AXXX", "BARCGB22"})
    void valid(String bic) {
        assertThat(Bic.problem(bic)).isEmpty();
        assertThat(Bic.isValid(bic)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        deutdeff      | capital
        DeutDEFF      | capital
        DEUTDEFF5     | 8 or 11
        DEUTDEFF50    | 8 or 11
        DEUTDEFF5000  | 8 or 11
        DEUT1EFF      | capital letters
        DEUTD3FF      | capital letters
        DEUTDEF       | 8 or 11
        DEUTDE1F      | location
        DEUTDE0F      | location
        DEUTDEFO      | not ending in O
        DEUTDEFF 50   | capital
        DEUTDEFF-50   | capital
        DEUTQQFF      | QQ is not an ISO 3166
        DEUTÄEFF      | capital
        """)
    void invalid(String bic, String why) {
        assertThat(Bic.isValid(bic)).as(bic).isFalse();
        assertThat(Bic.problem(bic)).as(bic).hasValueSatisfying(p -> assertThat(p).contains(why));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missing(String bic) {
        assertThat(Bic.problem(bic)).hasValue("The BIC is missing.");
    }
}
