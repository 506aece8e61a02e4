package com.fanzfinance.payouts.ach;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layouts of moov-io/ach {@code Addenda98.ParseCorrectedData}, one case per change code. */
class CorrectedDataTest {

    @Test
    void eachCodeFillsOnlyItsFields() {
        assertThat(CorrectedData.parse("C01", "1918171614")).contains(new CorrectedData(null, "1918171614", null, null, null));
        assertThat(CorrectedData.parse("C02", "091400606")).contains(new CorrectedData("091400606", null, null, null, null));
        assertThat(CorrectedData.parse("C03", "091400606   44556677")).contains(
                new CorrectedData("091400606", "44556677", null, null, null));
        assertThat(CorrectedData.parse("C04", "JANE Q CREATOR")).contains(
                new CorrectedData(null, null, null, "JANE Q CREATOR", null));
        assertThat(CorrectedData.parse("C05", "32")).contains(new CorrectedData(null, null, 32, null, null));
        assertThat(CorrectedData.parse("C06", "44556677            37")).contains(
                new CorrectedData(null, "44556677", 37, null, null));
        assertThat(CorrectedData.parse("C07", "23138010499887766          32")).contains(
                new CorrectedData("231380104", "99887766", 32, null, null));
        assertThat(CorrectedData.parse("C09", "ID-12345")).contains(new CorrectedData(null, null, null, null, "ID-12345"));
    }

    @Test
    void longValuesAreCutToTheirFieldWidth() {
        assertThat(CorrectedData.parse("C01", "123456789012345678901").map(CorrectedData::accountNumber))
                .contains("12345678901234567");
        assertThat(CorrectedData.parse("C02", "0914006061234").map(CorrectedData::routingNumber)).contains("091400606");
    }

    @ParameterizedTest
    @CsvSource({
        "C01, ''", "C03, 091400606", "C03, 'a b c'", "C05, XX", "C06, 44556677", "C06, '44556677 XX'",
        "C07, 231380104", "C07, '23138010499887766'", "C08, 123", "C13, ''", "C61, 121042880000001", "R01, x"})
    void missingOrMalformedDataOrOtherCodesGiveNothing(String code, String data) {
        assertThat(CorrectedData.parse(code, data)).isEqualTo(Optional.empty());
    }

    @Test
    void nullsGiveNothing() {
        assertThat(CorrectedData.parse(null, "1")).isEmpty();
        assertThat(CorrectedData.parse("C01", null)).isEmpty();
    }
}
