package com.fanzfinance.payouts.sepa;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a SEPA credit transfer initiation: UTF-8 without BOM, one GrpHdr (MsgId, CreDtTm without fraction
 * seconds, NbOfTxs, CtrlSum, InitgPty/Nm), one PmtInf (PmtInfId, PmtMtd TRF, NbOfTxs, CtrlSum,
 * PmtTpInf/SvcLvl/Cd SEPA, ReqdExctnDt (V09: {@code <Dt>}), Dbtr/Nm, DbtrAcct/Id/IBAN,
 * DbtrAgt/FinInstnId/(BIC|BICFI or Othr/Id NOTPROVIDED), ChrgBr SLEV), per transfer PmtId/EndToEndId,
 * Amt/InstdAmt Ccy="EUR" with exactly 2 decimals, optional CdtrAgt, Cdtr/Nm (EpcText.clean ≤70),
 * CdtrAcct/Id/IBAN, optional RmtInf/Ustrd (≤140, cleaned).
 *
 * <p>Names are cleaned with {@link EpcText}; IBANs and BICs are checked ({@link Iban#problem},
 * {@link Bic#problem}) and ids checked; a bad spec is a {@link Pain001SpecException} naming the field (e.g.
 * {@code transfers[3].creditorIban: …}). Two transfers with the same EndToEndId are a bad spec too. The result
 * is validated against the bundled XSD before it is returned (a failure is an {@link IllegalStateException}: a
 * bug here). Deterministic: the same spec gives the same bytes (the JDK's own StAX writer is used, whatever
 * other StAX implementation is on the class path). Amounts are long cents, CtrlSum is their exact sum, written
 * with {@link BigDecimal#valueOf(long, int)}; never a double. At most 100,000 transfers.
 */
public final class Pain001Writer {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final String NOT_PROVIDED = "NOTPROVIDED";

    private Pain001Writer() {}

    /**
     * The pain.001 file for {@code spec} in {@code version}.
     *
     * @throws Pain001SpecException if the spec cannot make a valid file; the message starts with the field
     * @throws IllegalStateException if the written file fails the schema (a bug in this class)
     */
    public static byte[] write(Pain001Spec spec, Pain001Version version) {
        Objects.requireNonNull(version, "version");
        CheckedSpec checked = CheckedSpec.of(spec);
        byte[] xml = render(checked, version);
        List<String> problems = Pain001Schemas.problems(xml, version);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("bug: the written " + version.id() + " file fails its schema: "
                + problems);
        }
        return xml;
    }

    /** Amount in euro with exactly two decimals: 1 → "0.01", 123456 → "1234.56". */
    static String euros(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    private static byte[] render(CheckedSpec spec, Pain001Version version) {
        var bytes = new ByteArrayOutputStream(1024 + 600 * spec.numberOfTransactions());
        try {
            XMLStreamWriter stax = XMLOutputFactory.newDefaultFactory()
                .createXMLStreamWriter(bytes, StandardCharsets.UTF_8.name());
            var xml = new IndentingXml(stax);
            stax.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.open("Document");
            stax.writeDefaultNamespace(version.namespace());
            xml.open("CstmrCdtTrfInitn");
            groupHeader(xml, spec);
            paymentInformation(xml, spec, version);
            xml.close();
            xml.close();
            xml.newline();
            stax.writeEndDocument();
            stax.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML to memory", e);
        }
        return bytes.toByteArray();
    }

    private static void groupHeader(IndentingXml xml, CheckedSpec spec) throws XMLStreamException {
        xml.open("GrpHdr");
        xml.leaf("MsgId", spec.messageId());
        xml.leaf("CreDtTm", DATE_TIME.format(spec.creationTime()));
        xml.leaf("NbOfTxs", Integer.toString(spec.numberOfTransactions()));
        xml.leaf("CtrlSum", euros(spec.controlSumCents()));
        xml.open("InitgPty");
        xml.leaf("Nm", spec.initiatingPartyName());
        xml.close();
        xml.close();
    }

    private static void paymentInformation(IndentingXml xml, CheckedSpec spec, Pain001Version version)
            throws XMLStreamException {
        xml.open("PmtInf");
        xml.leaf("PmtInfId", spec.paymentInformationId());
        xml.leaf("PmtMtd", "TRF");
        xml.leaf("NbOfTxs", Integer.toString(spec.numberOfTransactions()));
        xml.leaf("CtrlSum", euros(spec.controlSumCents()));
        xml.open("PmtTpInf");
        xml.open("SvcLvl");
        xml.leaf("Cd", "SEPA");
        xml.close();
        xml.close();
        executionDate(xml, spec, version);
        party(xml, "Dbtr", spec.debtorName());
        account(xml, "DbtrAcct", spec.debtorIban());
        debtorAgent(xml, spec.debtorBic(), version);
        xml.leaf("ChrgBr", "SLEV");
        for (CheckedSpec.Transfer transfer : spec.transfers()) {
            transfer(xml, transfer, version);
        }
        xml.close();
    }

    private static void executionDate(IndentingXml xml, CheckedSpec spec, Pain001Version version)
            throws XMLStreamException {
        String date = DATE.format(spec.requestedExecutionDate());
        if (version == Pain001Version.V03) {
            xml.leaf("ReqdExctnDt", date);
        } else {
            xml.open("ReqdExctnDt");
            xml.leaf("Dt", date);
            xml.close();
        }
    }

    private static void debtorAgent(IndentingXml xml, String bic, Pain001Version version)
            throws XMLStreamException {
        xml.open("DbtrAgt");
        xml.open("FinInstnId");
        if (bic != null) {
            xml.leaf(bicElement(version), bic);
        } else {
            xml.open("Othr");
            xml.leaf("Id", NOT_PROVIDED);
            xml.close();
        }
        xml.close();
        xml.close();
    }

    private static void transfer(IndentingXml xml, CheckedSpec.Transfer transfer, Pain001Version version)
            throws XMLStreamException {
        xml.open("CdtTrfTxInf");
        xml.open("PmtId");
        xml.leaf("EndToEndId", transfer.endToEndId());
        xml.close();
        xml.open("Amt");
        xml.leafWithCurrency("InstdAmt", "EUR", euros(transfer.amountCents()));
        xml.close();
        if (transfer.creditorBic() != null) {
            xml.open("CdtrAgt");
            xml.open("FinInstnId");
            xml.leaf(bicElement(version), transfer.creditorBic());
            xml.close();
            xml.close();
        }
        party(xml, "Cdtr", transfer.creditorName());
        account(xml, "CdtrAcct", transfer.creditorIban());
        if (transfer.remittance() != null) {
            xml.open("RmtInf");
            xml.leaf("Ustrd", transfer.remittance());
            xml.close();
        }
        xml.close();
    }

    private static void party(IndentingXml xml, String element, String name) throws XMLStreamException {
        xml.open(element);
        xml.leaf("Nm", name);
        xml.close();
    }

    private static void account(IndentingXml xml, String element, String iban) throws XMLStreamException {
        xml.open(element);
        xml.open("Id");
        xml.leaf("IBAN", iban);
        xml.close();
        xml.close();
    }

    private static String bicElement(Pain001Version version) {
        return version == Pain001Version.V03 ? "BIC" : "BICFI";
    }

    /** A StAX writer that indents by two spaces per level, as the published samples are. */
    private static final class IndentingXml {
        private final XMLStreamWriter stax;
        private int depth;

        IndentingXml(XMLStreamWriter stax) {
            this.stax = stax;
        }

        void open(String element) throws XMLStreamException {
            newline();
            stax.writeStartElement(element);
            depth++;
        }

        void close() throws XMLStreamException {
            depth--;
            newline();
            stax.writeEndElement();
        }

        void leaf(String element, String text) throws XMLStreamException {
            newline();
            stax.writeStartElement(element);
            stax.writeCharacters(text);
            stax.writeEndElement();
        }

        void leafWithCurrency(String element, String currency, String amount) throws XMLStreamException {
            newline();
            stax.writeStartElement(element);
            stax.writeAttribute("Ccy", currency);
            stax.writeCharacters(amount);
            stax.writeEndElement();
        }

        void newline() throws XMLStreamException {
            stax.writeCharacters("\n" + "  ".repeat(depth));
        }
    }
}
