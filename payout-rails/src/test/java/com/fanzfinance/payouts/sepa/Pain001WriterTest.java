package com.fanzfinance.payouts.sepa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class Pain001WriterTest {

    private static final OffsetDateTime CREATED = OffsetDateTime.of(2025, 8, 19, 8, 32, 2, 987_000_000, ZoneOffset.ofHours(2));
    private static final LocalDate EXECUTION = LocalDate.of(2025, 8, 20);

    static CreditTransfer transfer(String id, long cents, String name, String iban) {
        return new CreditTransfer(id, cents, name, iban, null, null);
    }

    static Pain001Spec spec(List<CreditTransfer> transfers) {
        return new Pain001Spec("MSG-2025-08-19-001", CREATED, "FanzFinance Ltd", "PMT/2025/001", EXECUTION,
            "FanzFinance Payouts", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", transfers);
    }

    static Pain001Spec sampleSpec() {
        return spec(List.of(
            transfer("PAYOUT-1", 1, "Jürgen Müller & Söhne", "GB82 WEST 1234 5698 7654 32"),
            new CreditTransfer("PAYOUT-2", 123_456, "Zoë O’Neil", "fr1420041010050500013m02606", "BNPAFRPP",
                "Creator payout 2025-08 <thanks> €"),
            new CreditTransfer("PAYOUT-3", 99_999_999_999L, "Ågot Ødegård", "NL91ABNA0417164300", "ABNANL2AXXX", "")));
    }

    @ParameterizedTest
    @EnumSource(Pain001Version.class)
    void writesAValidFileWithTheTotalsAndFields(Pain001Version version) throws Exception {
        byte[] xml = Pain001Writer.write(sampleSpec(), version);
        assertThat(Pain001Schemas.problems(xml, version)).isEmpty();

        Document doc = parse(xml);
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(version.namespace());
        assertThat(text(doc, "/d:Document/d:CstmrCdtTrfInitn/d:GrpHdr/d:MsgId")).isEqualTo("MSG-2025-08-19-001");
        assertThat(text(doc, "//d:GrpHdr/d:CreDtTm")).isEqualTo("2025-08-19T08:32:02+02:00");
        assertThat(text(doc, "//d:GrpHdr/d:NbOfTxs")).isEqualTo("3");
        assertThat(text(doc, "//d:PmtInf/d:NbOfTxs")).isEqualTo("3");
        assertThat(text(doc, "//d:GrpHdr/d:CtrlSum")).isEqualTo("1000001234.56");
        assertThat(text(doc, "//d:PmtInf/d:CtrlSum")).isEqualTo("1000001234.56");
        assertThat(text(doc, "//d:GrpHdr/d:InitgPty/d:Nm")).isEqualTo("FanzFinance Ltd");
        assertThat(text(doc, "//d:PmtInf/d:PmtInfId")).isEqualTo("PMT/2025/001");
        assertThat(text(doc, "//d:PmtInf/d:PmtMtd")).isEqualTo("TRF");
        assertThat(text(doc, "//d:PmtInf/d:PmtTpInf/d:SvcLvl/d:Cd")).isEqualTo("SEPA");
        assertThat(text(doc, "//d:PmtInf/d:ChrgBr")).isEqualTo("SLEV");
        assertThat(text(doc, "//d:DbtrAcct/d:Id/d:IBAN")).isEqualTo("DE89370400440532013000");
        String bic = version == Pain001Version.V03 ? "d:BIC" : "d:BICFI";
        assertThat(text(doc, "//d:DbtrAgt/d:FinInstnId/" + bic)).isEqualTo("COBADEFFXXX");

        assertThat(texts(doc, "//d:CdtTrfTxInf/d:PmtId/d:EndToEndId")).containsExactly("PAYOUT-1", "PAYOUT-2", "PAYOUT-3");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:Amt/d:InstdAmt")).containsExactly("0.01", "1234.56", "999999999.99");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:Amt/d:InstdAmt/@Ccy")).containsExactly("EUR", "EUR", "EUR");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:Cdtr/d:Nm"))
            .containsExactly("Juergen Mueller Soehne", "Zoe O'Neil", "Agot Odegard");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:CdtrAcct/d:Id/d:IBAN"))
            .containsExactly("GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:CdtrAgt/d:FinInstnId/" + bic)).containsExactly("BNPAFRPP", "ABNANL2AXXX");
        assertThat(texts(doc, "//d:CdtTrfTxInf/d:RmtInf/d:Ustrd")).containsExactly("Creator payout 2025-08 thanks");
        assertThat(texts(doc, "//d:CdtTrfTxInf[1]/d:CdtrAgt")).isEmpty();
        assertThat(texts(doc, "//d:CdtTrfTxInf[3]/d:RmtInf")).isEmpty();
    }

    @Test
    void theExecutionDateHasTheShapeOfEachVersion() throws Exception {
        Document v03 = parse(Pain001Writer.write(sampleSpec(), Pain001Version.V03));
        Document v09 = parse(Pain001Writer.write(sampleSpec(), Pain001Version.V09));
        assertThat(text(v03, "//d:PmtInf/d:ReqdExctnDt")).isEqualTo("2025-08-20");
        assertThat(texts(v03, "//d:PmtInf/d:ReqdExctnDt/*")).isEmpty();
        assertThat(text(v09, "//d:PmtInf/d:ReqdExctnDt/d:Dt")).isEqualTo("2025-08-20");
        assertThat(texts(v09, "//d:PmtInf/d:ReqdExctnDt/d:DtTm")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Pain001Version.class)
    void withoutADebtorBicTheAgentIsNotProvided(Pain001Version version) throws Exception {
        Pain001Spec base = sampleSpec();
        Pain001Spec spec = new Pain001Spec(base.messageId(), base.creationTime(), base.initiatingPartyName(),
            base.paymentInformationId(), base.requestedExecutionDate(), base.debtorName(), base.debtorIban(), null,
            base.transfers());
        Document doc = parse(Pain001Writer.write(spec, version));
        assertThat(text(doc, "//d:DbtrAgt/d:FinInstnId/d:Othr/d:Id")).isEqualTo("NOTPROVIDED");
        assertThat(texts(doc, "//d:DbtrAgt/d:FinInstnId/d:BIC | //d:DbtrAgt/d:FinInstnId/d:BICFI")).isEmpty();
    }

    @Test
    void isUtf8WithoutBomAndDeterministic() {
        for (Pain001Version version : Pain001Version.values()) {
            byte[] first = Pain001Writer.write(sampleSpec(), version);
            byte[] second = Pain001Writer.write(sampleSpec(), version);
            assertThat(first).isEqualTo(second);
            String text = new String(first, StandardCharsets.UTF_8);
            assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            assertThat(text).matches("\\p{ASCII}*"); // all ASCII after cleaning
        }
    }

    @Test
    void euroAmountsAreExactWithTwoDecimals() {
        assertThat(Pain001Writer.euros(1)).isEqualTo("0.01");
        assertThat(Pain001Writer.euros(10)).isEqualTo("0.10");
        assertThat(Pain001Writer.euros(100)).isEqualTo("1.00");
        assertThat(Pain001Writer.euros(123_456)).isEqualTo("1234.56");
        assertThat(Pain001Writer.euros(9_999_999_999_999_999L)).isEqualTo("99999999999999.99");
    }

    @Test
    void specErrorsNameTheField() {
        assertSpecError(s -> with(s, 3, t -> new CreditTransfer(t.endToEndId(), t.amountCents(), t.creditorName(),
            "DE89370400440532013001", null, null)), "transfers[3].creditorIban: The check digits are wrong");
        assertSpecError(s -> with(s, 1, t -> transfer(t.endToEndId(), 0, t.creditorName(), t.creditorIban())),
            "transfers[1].amountCents:");
        assertSpecError(s -> with(s, 1, t -> transfer(t.endToEndId(), 100_000_000_000L, t.creditorName(),
            t.creditorIban())), "transfers[1].amountCents:");
        assertSpecError(s -> with(s, 2, t -> transfer("/lead", 1, t.creditorName(), t.creditorIban())),
            "transfers[2].endToEndId: must not start or end with '/'");
        assertSpecError(s -> with(s, 2, t -> transfer("a//b", 1, t.creditorName(), t.creditorIban())),
            "transfers[2].endToEndId:");
        assertSpecError(s -> with(s, 2, t -> transfer("x".repeat(36), 1, t.creditorName(), t.creditorIban())),
            "transfers[2].endToEndId: 1 to 35");
        assertSpecError(s -> with(s, 2, t -> transfer("has space", 1, t.creditorName(), t.creditorIban())),
            "transfers[2].endToEndId:");
        assertSpecError(s -> with(s, 2, t -> transfer("T0", 1, t.creditorName(), t.creditorIban())),
            "transfers[2].endToEndId: repeats transfers[0]");
        assertSpecError(s -> with(s, 0, t -> transfer(t.endToEndId(), 1, "東京", t.creditorIban())),
            "transfers[0].creditorName:");
        assertSpecError(s -> with(s, 0, t -> new CreditTransfer(t.endToEndId(), 1, t.creditorName(),
            t.creditorIban(), "DEUTDEF", null)), "transfers[0].creditorBic: A BIC has 8 or 11");
        assertSpecError(s -> with(s, 0, t -> new CreditTransfer(t.endToEndId(), 1, t.creditorName(),
            t.creditorIban(), null, "x".repeat(141))), "transfers[0].remittanceInformation: at most 140");
        assertSpecError(s -> with(s, 4, t -> null), "transfers[4]: missing");
        assertSpecError(s -> new Pain001Spec("", s.creationTime(), s.initiatingPartyName(), s.paymentInformationId(),
            s.requestedExecutionDate(), s.debtorName(), s.debtorIban(), s.debtorBic(), s.transfers()), "messageId:");
        assertSpecError(s -> new Pain001Spec(s.messageId(), null, s.initiatingPartyName(), s.paymentInformationId(),
            s.requestedExecutionDate(), s.debtorName(), s.debtorIban(), s.debtorBic(), s.transfers()),
            "creationTime:");
        assertSpecError(s -> new Pain001Spec(s.messageId(), s.creationTime(), s.initiatingPartyName(), "ok/",
            s.requestedExecutionDate(), s.debtorName(), s.debtorIban(), s.debtorBic(), s.transfers()),
            "paymentInformationId:");
        assertSpecError(s -> new Pain001Spec(s.messageId(), s.creationTime(), s.initiatingPartyName(),
            s.paymentInformationId(), null, s.debtorName(), s.debtorIban(), s.debtorBic(), s.transfers()),
            "requestedExecutionDate:");
        assertSpecError(s -> new Pain001Spec(s.messageId(), s.creationTime(), " ", s.paymentInformationId(),
            s.requestedExecutionDate(), s.debtorName(), s.debtorIban(), s.debtorBic(), s.transfers()),
            "initiatingPartyName:");
        assertSpecError(s -> new Pain001Spec(s.messageId(), s.creationTime(), s.initiatingPartyName(),
            s.paymentInformationId(), s.requestedExecutionDate(), s.debtorName(), "BG87200500001234567890",
            s.debtorBic(), s.transfers()), "debtorIban: The account part (BBAN)");
        assertSpecError(s -> new Pain001Spec(s.messageId(), s.creationTime(), s.initiatingPartyName(),
            s.paymentInformationId(), s.requestedExecutionDate(), s.debtorName(), s.debtorIban(), "deutdeff",
            s.transfers()), "debtorBic:");
        assertSpecError(s -> spec(List.of()), "transfers: at least one");
        assertSpecError(s -> spec(null), "transfers: at least one");
        assertThatThrownBy(() -> Pain001Writer.write(null, Pain001Version.V03))
            .isInstanceOf(Pain001SpecException.class).hasMessageStartingWith("spec:");
    }

    @Test
    void moreThan100000TransfersAreRefused() {
        CreditTransfer one = transfer("X", 1, "A", "DE89370400440532013000");
        List<CreditTransfer> many = new ArrayList<>(java.util.Collections.nCopies(100_001, one));
        assertThatThrownBy(() -> Pain001Writer.write(spec(many), Pain001Version.V03))
            .isInstanceOf(Pain001SpecException.class).hasMessageStartingWith("transfers: at most 100000");
    }

    @Test
    void theSpecIsImmutable() {
        List<CreditTransfer> transfers = new ArrayList<>(sampleSpec().transfers());
        Pain001Spec spec = spec(transfers);
        transfers.clear();
        assertThat(spec.transfers()).hasSize(3);
        assertThatThrownBy(() -> spec.transfers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Property(tries = 60)
    void randomSpecsAreAlwaysValidAndTheControlSumIsTheSumOfAmounts(@ForAll("specs") Pain001Spec spec,
                                                                    @ForAll Pain001Version version) throws Exception {
        byte[] xml = Pain001Writer.write(spec, version);
        assertThat(Pain001Schemas.problems(xml, version)).isEmpty();
        Document doc = parse(xml);
        long sum = spec.transfers().stream().mapToLong(CreditTransfer::amountCents).sum();
        String expected = java.math.BigDecimal.valueOf(sum, 2).toPlainString();
        assertThat(text(doc, "//d:GrpHdr/d:CtrlSum")).isEqualTo(expected);
        assertThat(text(doc, "//d:PmtInf/d:CtrlSum")).isEqualTo(expected);
        assertThat(text(doc, "//d:GrpHdr/d:NbOfTxs")).isEqualTo(Integer.toString(spec.transfers().size()));
        long written = texts(doc, "//d:InstdAmt").stream()
            .mapToLong(a -> new java.math.BigDecimal(a).movePointRight(2).longValueExact()).sum();
        assertThat(written).isEqualTo(sum);
        assertThat(texts(doc, "//d:Nm")).allSatisfy(n -> assertThat(EpcText.isEpc(n) && n.length() <= 70).isTrue());
    }

    @Provide
    Arbitrary<Pain001Spec> specs() {
        Arbitrary<String> names = Arbitraries.oneOf(
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(100),
            Arbitraries.strings().withCharRange('a', 'z').withChars("äöüßÉø &<>\"'").ofMinLength(1).ofMaxLength(90))
            .map(s -> "N" + s);
        Arbitrary<String> remittance = Arbitraries.strings().all().ofMaxLength(60).injectNull(0.3);
        Arbitrary<String> ibans = Arbitraries.of("DE89370400440532013000", "GB82WEST12345698765432",
            "FR1420041010050500013M02606", "NL91ABNA0417164300", "BG80BNBG96611020345678");
        Arbitrary<String> bics = Arbitraries.of("DEUTDEFF", "DEUTDEFF500", "NEDSZAJJXXX").injectNull(0.5);
        Arbitrary<CreditTransfer> transfers = Combinators.combine(
                Arbitraries.longs().between(1, 99_999_999_999L), names, ibans, bics, remittance)
            .as((cents, name, iban, bic, text) -> new CreditTransfer("will-be-numbered", cents, name, iban, bic, text));
        return Combinators.combine(transfers.list().ofMinSize(1).ofMaxSize(50), names, bics)
            .as((list, debtor, debtorBic) -> new Pain001Spec("MSG1", CREATED, debtor, "PMT1", EXECUTION, debtor,
                "DE89370400440532013000", debtorBic, numbered(list)));
    }

    private static List<CreditTransfer> numbered(List<CreditTransfer> transfers) {
        List<CreditTransfer> out = new ArrayList<>();
        for (int i = 0; i < transfers.size(); i++) {
            CreditTransfer t = transfers.get(i);
            out.add(new CreditTransfer("E2E-" + i, t.amountCents(), t.creditorName(), t.creditorIban(),
                t.creditorBic(), t.remittanceInformation()));
        }
        return out;
    }

    /** A valid five-transfer spec changed by {@code change}, which must fail naming {@code messageStart}. */
    private static void assertSpecError(UnaryOperator<Pain001Spec> change, String messageStart) {
        List<CreditTransfer> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(transfer("T" + i, 100 + i, "Name " + i, "DE89370400440532013000"));
        }
        Pain001Spec valid = spec(five);
        assertThat(Pain001Writer.write(valid, Pain001Version.V03)).isNotEmpty();
        assertThatThrownBy(() -> Pain001Writer.write(change.apply(valid), Pain001Version.V09))
            .isInstanceOf(Pain001SpecException.class)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(messageStart);
    }

    private static Pain001Spec with(Pain001Spec spec, int index, UnaryOperator<CreditTransfer> change) {
        List<CreditTransfer> transfers = new ArrayList<>(spec.transfers());
        transfers.set(index, change.apply(transfers.get(index)));
        return new Pain001Spec(spec.messageId(), spec.creationTime(), spec.initiatingPartyName(),
            spec.paymentInformationId(), spec.requestedExecutionDate(), spec.debtorName(), spec.debtorIban(),
            spec.debtorBic(), transfers);
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static XPath xpath(Document doc) {
        XPath xpath = XPathFactory.newInstance().newXPath();
        String namespace = doc.getDocumentElement().getNamespaceURI();
        xpath.setNamespaceContext(new javax.xml.namespace.NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "d".equals(prefix) ? namespace : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return java.util.Collections.emptyIterator();
            }
        });
        return xpath;
    }

    private static String text(Document doc, String path) throws Exception {
        List<String> all = texts(doc, path);
        assertThat(all).as(path).hasSize(1);
        return all.get(0);
    }

    private static List<String> texts(Document doc, String path) throws Exception {
        NodeList nodes = (NodeList) xpath(doc).evaluate(path, doc, XPathConstants.NODESET);
        String[] out = new String[nodes.getLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nodes.item(i).getTextContent();
        }
        return Arrays.asList(out);
    }
}
