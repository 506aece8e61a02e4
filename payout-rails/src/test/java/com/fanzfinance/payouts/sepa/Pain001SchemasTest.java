package com.fanzfinance.payouts.sepa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Pain001SchemasTest {

    static byte[] fixture(Pain001Version version) throws IOException {
        try (InputStream in = Pain001SchemasTest.class.getResourceAsStream("/sepa/" + version.id() + ".xml")) {
            return in.readAllBytes();
        }
    }

    static String fixtureText(Pain001Version version) throws IOException {
        return new String(fixture(version), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Pain001Version.class)
    void eachFixtureIsValidAgainstItsOwnSchema(Pain001Version version) throws IOException {
        assertThat(Pain001Schemas.problems(fixture(version), version)).isEmpty();
    }

    @Test
    void theV09FixtureFailsTheV03SchemaOnTheNamespace() throws IOException {
        assertThat(Pain001Schemas.problems(fixture(Pain001Version.V09), Pain001Version.V03))
            .isNotEmpty()
            .first().asString().startsWith("2:").contains("cvc-elt.1", "Document");
    }

    @ParameterizedTest
    @EnumSource(Pain001Version.class)
    void aFixtureWithoutTheGroupNbOfTxsFailsWithALocatedMessage(Pain001Version version) throws IOException {
        String broken = fixtureText(version).replaceFirst("\\s*<NbOfTxs>1</NbOfTxs>", "");
        assertThat(Pain001Schemas.problems(broken.getBytes(StandardCharsets.UTF_8), version))
            .singleElement().asString().matches("\\d+:\\d+: cvc-complex-type.*").contains("CtrlSum");
    }

    @Test
    void aBadAmountIsReported() throws IOException {
        String broken = fixtureText(Pain001Version.V03).replace(">12.34</InstdAmt>", ">12.345678</InstdAmt>");
        assertThat(Pain001Schemas.problems(broken.getBytes(StandardCharsets.UTF_8), Pain001Version.V03))
            .isNotEmpty().anySatisfy(p -> assertThat(p).contains("12.345678"));
    }

    @Test
    void notWellFormedXmlIsAProblemNotAnException() {
        byte[] xml = "<Document><unclosed></Document>".getBytes(StandardCharsets.UTF_8);
        assertThat(Pain001Schemas.problems(xml, Pain001Version.V03)).isNotEmpty();
        assertThat(Pain001Schemas.problems(new byte[0], Pain001Version.V09)).isNotEmpty();
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverRead() throws IOException {
        String withEntity = fixtureText(Pain001Version.V03).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")
            .replace("OurCorp</Nm>", "&x;</Nm>");
        assertThat(Pain001Schemas.problems(withEntity.getBytes(StandardCharsets.UTF_8), Pain001Version.V03))
            .singleElement().asString().contains("DOCTYPE");
    }

    @Test
    void aByteOrderMarkIsReported() throws IOException {
        byte[] fixture = fixture(Pain001Version.V03);
        byte[] withBom = new byte[fixture.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(fixture, 0, withBom, 3, fixture.length);
        assertThat(Pain001Schemas.problems(withBom, Pain001Version.V03))
            .singleElement().asString().contains("byte order mark");
    }

    @Test
    void theSchemasAcceptTheFixturesInvalidDebtorIban() throws IOException {
        // the XSD pattern is weak: the fixture's debtor IBAN is valid XML but not a valid IBAN
        assertThat(fixtureText(Pain001Version.V03)).contains("<IBAN>BG87200500001234567890</IBAN>");
        assertThat(Iban.isValid("BG87200500001234567890")).isFalse();
    }
}
