package com.fanzfinance.reconciliation.importers;

import static com.fanzfinance.reconciliation.importers.Lines.day;
import static com.fanzfinance.reconciliation.importers.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import com.fanzfinance.reconciliation.importers.Camt053Importer.Balance;
import com.fanzfinance.reconciliation.importers.Lines.Line;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Camt053ImporterTest {
    private static final String V02 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";
    private static final String V13 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.13";

    private final Camt053Importer importer = new Camt053Importer(Lines.SCALES);

    private Lines fixture(String name) throws IOException {
        Lines sink = new Lines();
        try (InputStream in = getClass().getResourceAsStream("/importers/" + name)) {
            assertThat(in).as(name).isNotNull();
            importer.read(in, sink);
        }
        return sink;
    }

    private Lines read(String xml) throws IOException {
        Lines sink = new Lines();
        importer.read(utf8(xml), sink);
        return sink;
    }

    private StatementFormatException refused(String xml) {
        Throwable t = catchThrowable(() -> read(xml));
        assertThat(t).isInstanceOf(StatementFormatException.class);
        return (StatementFormatException) t;
    }

    static String doc(String ns, String... statements) {
        return "<?xml version=\"1.0\"?>\n<Document xmlns=\"" + ns + "\"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId>"
            + "<CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>\n" + String.join("\n", statements)
            + "\n</BkToCstmrStmt></Document>\n";
    }

    static String stmt(String id, String iban, String... entries) {
        return "<Stmt><Id>" + id + "</Id><CreDtTm>2026-01-01T00:00:00</CreDtTm><Acct><Id><IBAN>" + iban
            + "</IBAN></Id></Acct>\n" + String.join("\n", entries) + "\n</Stmt>";
    }

    static String ntry(String amount, String ccy, String sign, String inner) {
        return "<Ntry><Amt Ccy=\"" + ccy + "\">" + amount + "</Amt><CdtDbtInd>" + sign + "</CdtDbtInd>"
            + "<Sts>BOOK</Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt><BkTxCd/>" + inner + "</Ntry>";
    }

    @Test
    void version02Fixture() throws IOException {
        Lines sink = fixture("camt053-v02.xml");
        assertThat(sink.lines).containsExactly(
            new Line(1, "SETTLEMENT-2026-03-14", "", 125000, 0, "EUR", day("2026-03-15"), "2026031500012345",
                "Settlement 2026-03-14 batch 5512"),
            new Line(2, "PO-7001|PO-7002", "payout", -30000, 190, "EUR", day("2026-03-15"), "PAYOUT-RUN-0315",
                "Payout March week 2"),
            new Line(4, "PO-7002", "return", 12000, 0, "EUR", day("2026-03-15"), "2026031500012477", ""),
            new Line(5, "", "", -1275, 0, "EUR", day("2026-03-15"), "FEE-2026-03", "Account maintenance March"),
            new Line(6, "", "", 81420, 0, "EUR", day("2026-03-15"), "2026031500012500", ""));
        assertThat(importer.account()).isEqualTo("DE89370400440532013000");
        assertThat(importer.statementId()).isEqualTo("DE-STMT-2026-074");
        assertThat(importer.openingBalance()).isEqualTo(new Balance(1_000_000, "EUR", day("2026-03-14").toEpochDay()));
        assertThat(importer.closingBalance()).isEqualTo(new Balance(1_187_145, "EUR", day("2026-03-15").toEpochDay()));
        assertThat(importer.skippedEntries()).isEqualTo(1);
        assertThat(importer.entries()).isEqualTo(6);
        long net = sink.lines.stream().mapToLong(Line::amount).sum();
        assertThat(importer.openingBalance().amount() + net).isEqualTo(importer.closingBalance().amount());
    }

    @Test
    void version08Fixture() throws IOException {
        Lines sink = fixture("camt053-v08.xml");
        assertThat(sink.lines).containsExactly(
            new Line(1, "ACQ-SETTLE-0330", "", 500000, 1500, "USD", day("2026-04-01"), "W-31-1",
                "Settlement 2026-03-30 merchant 4410"),
            new Line(2, "PO-9100", "payout", -6990, 20, "USD", day("2026-03-31"), "ACH-RUN-0331",
                "Creator payout March"));
        assertThat(importer.account()).isEqualTo("000123456789");
        assertThat(importer.statementIds()).containsExactly("USD-OPS-2026-03-31");
        assertThat(importer.openingBalance()).isEqualTo(new Balance(-25000, "USD", day("2026-03-30").toEpochDay()));
        assertThat(importer.closingBalance()).isEqualTo(new Balance(468010, "USD", day("2026-04-01").toEpochDay()));
        assertThat(importer.skippedEntries()).isEqualTo(1);
    }

    @Test
    void theFixturesAreWellFormedAndNamespaced() throws Exception {
        for (String name : new String[] {"camt053-v02.xml", "camt053-v08.xml"}) {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            try (InputStream in = getClass().getResourceAsStream("/importers/" + name)) {
                org.w3c.dom.Document d = f.newDocumentBuilder().parse(in);
                assertThat(d.getDocumentElement().getNamespaceURI()).startsWith(V02.substring(0, V02.length() - 2));
            }
        }
    }

    @Test
    void severalStatementsOfOneAccountAreNumberedAcross() throws IOException {
        Lines sink = read(doc(V13,
            stmt("S1", "GB82WEST12345698765432", ntry("1.00", "GBP", "CRDT", ""), ntry("2.00", "GBP", "DBIT", "")),
            stmt("S2", "GB82WEST12345698765432", ntry("3.00", "GBP", "CRDT", ""))));
        assertThat(sink.lines).extracting(Line::line).containsExactly(1L, 2L, 3L);
        assertThat(sink.lines).extracting(Line::amount).containsExactly(100L, -200L, 300L);
        assertThat(importer.statementIds()).containsExactly("S1", "S2");
    }

    @Test
    void severalStatementsOfDifferentAccounts() {
        StatementFormatException e = refused(doc(V02, stmt("S1", "GB82WEST12345698765432"),
            stmt("S2", "DE89370400440532013000")));
        assertThat(e.getMessage()).contains("one document must be one account");
        assertThat(e.pointer()).isEqualTo("/statements/2/Acct");
    }

    @Test
    void aDebitWithoutEndToEndIdAndValueDateFallback() throws IOException {
        Lines sink = read(doc(V02, stmt("S", "X", "<Ntry><AcctSvcrRef>A1</AcctSvcrRef><Amt Ccy=\"JPY\">500</Amt>"
            + "<CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><ValDt><DtTm>2026-01-05T01:00:00+09:00</DtTm></ValDt>"
            + "</Ntry>")));
        assertThat(sink.lines).containsExactly(new Line(1, "", "", -500, 0, "JPY", day("2026-01-04"), "A1", ""));
    }

    @Test
    void descriptionIsCut() throws IOException {
        String ustrd = "u".repeat(300);
        Lines sink = read(doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT",
            "<NtryDtls><TxDtls><RmtInf><Ustrd>" + ustrd + "</Ustrd></RmtInf></TxDtls></NtryDtls>"))));
        assertThat(sink.lines.get(0).description()).hasSize(LineSink.DESCRIPTION_MAX);
    }

    @Test
    void aDoctypeIsRefusedAndNoEntityIsRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"" + secret.toUri()
            + "\">]>\n" + doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT",
                "<NtryDtls><TxDtls><RmtInf><Ustrd>&xxe;</Ustrd></RmtInf></TxDtls></NtryDtls>")))
            .replace("<?xml version=\"1.0\"?>\n", "");
        Lines sink = new Lines();
        Throwable t = catchThrowable(() -> importer.read(utf8(xxe), sink));
        assertThat(t).isInstanceOf(StatementFormatException.class).hasMessageContaining("DOCTYPE")
            .hasMessageNotContaining("TOP-SECRET");
        assertThat(sink.lines).isEmpty();
    }

    @Test
    void entityExpansionIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
            + "<Document xmlns=\"" + V02 + "\">&lol2;</Document>";
        assertThat(refused(bomb).getMessage()).contains("DOCTYPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:iso:std:iso:20022:tech:xsd:camt.053.001.01",
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.14", "urn:iso:std:iso:20022:tech:xsd:camt.052.001.08",
        "urn:example", ""})
    void wrongNamespace(String ns) {
        StatementFormatException e = refused(doc(ns, stmt("S", "X")));
        assertThat(e.getMessage()).containsAnyOf("not a version this importer reads", "not a camt.053 statement");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void aRootOtherThanDocument() {
        assertThat(refused("<BkToCstmrStmt xmlns=\"" + V02 + "\"/>").getMessage()).contains("not a camt.053");
    }

    @Test
    void badAmounts() {
        StatementFormatException decimals = refused(doc(V02, stmt("S", "X", ntry("1.00", "USD", "CRDT", ""),
            ntry("1.001", "USD", "CRDT", ""))));
        assertThat(decimals.pointer()).isEqualTo("/entries/2/Amt");
        assertThat(decimals.getMessage()).contains("more decimals than USD allows (2)");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("1.0001", "USD", "CRDT", "")))).getMessage())
            .contains("more decimals than USD allows (2)");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("1,00", "USD", "CRDT", "")))).getMessage())
            .contains("not a decimal number");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("1", "XTS", "CRDT", "")))).getMessage())
            .contains("unknown currency 'XTS'");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("99999999999999999999", "USD", "CRDT", "")))).getMessage())
            .contains("too large");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("1", "USD", "CRDIT", "")))).pointer())
            .isEqualTo("/entries/1/CdtDbtInd");
        assertThat(refused(doc(V02, stmt("S", "X", ntry("1", "USD", "DBIT",
            "<Chrgs><Amt Ccy=\"EUR\">1</Amt></Chrgs>")))).pointer()).isEqualTo("/entries/1/Chrgs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5.00", "+5.00", " -5.00 "})
    void aSignedEntryAmountIsRefused(String amount) {
        StatementFormatException e = refused(doc(V02, stmt("S", "X", ntry(amount, "EUR", "DBIT", ""))));
        assertThat(e.pointer()).isEqualTo("/entries/1/Amt");
        assertThat(e.getMessage()).contains("amounts are unsigned; CdtDbtInd gives the sign");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1.00", "+1.00"})
    void aSignedBalanceIsRefused(String amount) {
        String bal = "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"USD\">" + amount + "</Amt>"
            + "<CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-01-02</Dt></Dt></Bal>";
        StatementFormatException e = refused(doc(V02, stmt("S", "X", bal)));
        assertThat(e.pointer()).isEqualTo("/statements/1/balances/1/Amt");
        assertThat(e.getMessage()).contains("amounts are unsigned");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.50", "+0.50"})
    void aSignedChargeIsRefused(String amount) {
        StatementFormatException record = refused(doc(V13, stmt("S", "X", ntry("5.00", "USD", "DBIT",
            "<Chrgs><Rcrd><Amt Ccy=\"USD\">" + amount + "</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>"))));
        assertThat(record.pointer()).isEqualTo("/entries/1/Chrgs/Rcrd/Amt");
        assertThat(record.getMessage()).contains("amounts are unsigned");
        StatementFormatException v02 = refused(doc(V02, stmt("S", "X", ntry("5.00", "USD", "DBIT",
            "<Chrgs><Amt Ccy=\"USD\">" + amount + "</Amt></Chrgs>"))));
        assertThat(v02.pointer()).isEqualTo("/entries/1/Chrgs/Amt");
        assertThat(v02.getMessage()).contains("amounts are unsigned");
        StatementFormatException total = refused(doc(V13, stmt("S", "X", ntry("5.00", "USD", "DBIT",
            "<Chrgs><TtlChrgsAndTaxAmt Ccy=\"USD\">" + amount + "</TtlChrgsAndTaxAmt></Chrgs>"))));
        assertThat(total.pointer()).isEqualTo("/entries/1/Chrgs/TtlChrgsAndTaxAmt");
        assertThat(total.getMessage()).contains("amounts are unsigned");
    }

    @Test
    void zerosBeyondTheScaleAreAccepted() throws IOException {
        Lines sink = read(doc(V02, stmt("S", "X", ntry("5.000", "EUR", "CRDT", ""), ntry("1000.00", "JPY", "DBIT",
            ""))));
        assertThat(sink.lines).extracting(Line::amount).containsExactly(500L, -1000L);
    }

    @Test
    void aBatchBookingWithoutEndToEndIdsIsNamedByItsPaymentInformationId() throws IOException {
        Lines sink = read(doc(V13, stmt("S", "X",
            ntry("10.00", "EUR", "DBIT", "<NtryRef>N1</NtryRef><NtryDtls><Btch><PmtInfId>BATCH-1</PmtInfId>"
                + "<NbOfTxs>2</NbOfTxs></Btch></NtryDtls>"),
            ntry("11.00", "EUR", "DBIT", "<NtryDtls><TxDtls><Refs><PmtInfId>BATCH-2</PmtInfId>"
                + "<EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>"),
            ntry("12.00", "EUR", "DBIT", "<NtryDtls><Btch><PmtInfId>BATCH-3</PmtInfId></Btch><TxDtls><Refs>"
                + "<EndToEndId>E-1</EndToEndId></Refs></TxDtls></NtryDtls>"),
            ntry("13.00", "EUR", "DBIT", "<NtryRef>N4</NtryRef>"))));
        assertThat(sink.lines).extracting(Line::reference, Line::group).containsExactly(
            tuple("BATCH-1", "BATCH-1"), tuple("BATCH-2", "BATCH-2"), tuple("E-1", "BATCH-3"), tuple("", "N4"));
    }

    @Test
    void withoutRemittanceInformationTheDescriptionIsTheAdditionalInformation() throws IOException {
        Lines sink = read(doc(V13, stmt("S", "X",
            ntry("1", "USD", "CRDT", "<NtryDtls><TxDtls><RmtInf><Ustrd>remittance</Ustrd></RmtInf>"
                + "<AddtlTxInf>tx info</AddtlTxInf></TxDtls></NtryDtls><AddtlNtryInf>entry info</AddtlNtryInf>"),
            ntry("2", "USD", "CRDT", "<NtryDtls><TxDtls><RmtInf><Ustrd> </Ustrd></RmtInf>"
                + "<AddtlTxInf>tx info</AddtlTxInf></TxDtls></NtryDtls><AddtlNtryInf>entry info</AddtlNtryInf>"),
            ntry("3", "USD", "CRDT", "<NtryDtls><TxDtls><Refs><EndToEndId>E</EndToEndId></Refs></TxDtls>"
                + "</NtryDtls><AddtlNtryInf>" + "e".repeat(300) + "</AddtlNtryInf>"),
            ntry("4", "USD", "CRDT", ""))));
        assertThat(sink.lines).extracting(Line::description).containsExactly("remittance", "tx info",
            "e".repeat(LineSink.DESCRIPTION_MAX), "");
    }

    @Test
    void bytesTheEncodingCannotDecodeAreAFormatError() {
        byte[] good = doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT",
            "<NtryDtls><TxDtls><RmtInf><Ustrd>caf@</Ustrd></RmtInf></TxDtls></NtryDtls>")))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] bad = good.clone();
        int at = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('@');
        bad[at] = (byte) 0xE9; // Latin-1 é in a UTF-8 document
        Throwable t = catchThrowable(() -> importer.read(new java.io.ByteArrayInputStream(bad), new Lines()));
        assertThat(t).isInstanceOf(StatementFormatException.class).hasMessageContaining("not valid UTF-8");
        StatementFormatException e = (StatementFormatException) t;
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.pointer()).isEqualTo("/entries/1");
        String ascii = "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" + doc(V02, stmt("S", "X"))
            .replace("<?xml version=\"1.0\"?>", "").replace("<Id>S</Id>", "<Id>S\u00e9</Id>");
        Throwable t2 = catchThrowable(() -> importer.read(new java.io.ByteArrayInputStream(
            ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), new Lines()));
        assertThat(t2).isInstanceOf(StatementFormatException.class).hasMessageContaining("not valid US-ASCII");
    }

    @Test
    void statementIdsAreMax35TextAndTheFirst100Kept() throws IOException {
        read(doc(V02, stmt("x".repeat(35), "X")));
        assertThat(importer.statementId()).hasSize(35);
        StatementFormatException e = refused(doc(V02, stmt("S1", "X"), stmt("y".repeat(36), "X")));
        assertThat(e.pointer()).isEqualTo("/statements/2/Id");
        assertThat(e.getMessage()).contains("longer than 35 characters");
        String[] many = new String[130];
        for (int i = 0; i < many.length; i++) {
            many[i] = stmt("S" + (i + 1), "X");
        }
        read(doc(V02, many));
        assertThat(importer.statementIds()).hasSize(100).startsWith("S1").endsWith("S100");
        assertThat(importer.statementIdsOmitted()).isEqualTo(30);
        read(doc(V02, stmt("S", "X")));
        assertThat(importer.statementIdsOmitted()).isZero();
    }

    @Test
    void badDates() {
        String noDate = "<Ntry><Amt Ccy=\"USD\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>";
        assertThat(refused(doc(V02, stmt("S", "X", noDate))).getMessage()).contains("neither a booking nor a value");
        String badDate = ntry("1", "USD", "CRDT", "").replace("2026-01-02", "2026-02-30");
        assertThat(refused(doc(V02, stmt("S", "X", badDate))).pointer()).isEqualTo("/entries/1/BookgDt");
    }

    @Test
    void aBalanceWithABadAmount() {
        String bal = "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"USD\">1.234</Amt>"
            + "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-02</Dt></Dt></Bal>";
        StatementFormatException e = refused(doc(V02, stmt("S", "X", bal)));
        assertThat(e.pointer()).isEqualTo("/statements/1/balances/1/Amt");
    }

    @Test
    void notWellFormedAndNoStatement() {
        StatementFormatException broken = refused("<Document xmlns=\"" + V02 + "\">\n<BkToCstmrStmt>\n</Document>");
        assertThat(broken.getMessage()).contains("not well-formed");
        assertThat(broken.line()).isEqualTo(3);
        assertThat(refused("<Document xmlns=\"" + V02 + "\"><BkToCstmrStmt/></Document>").getMessage())
            .contains("no statement");
    }

    @Test
    void endToEndIdsBeyondTheReferenceLimit() {
        StringBuilder tx = new StringBuilder("<NtryDtls>");
        for (int i = 0; i < 30; i++) {
            tx.append("<TxDtls><Refs><EndToEndId>E2E-").append("x".repeat(20)).append(i)
                .append("</EndToEndId></Refs></TxDtls>");
        }
        StatementFormatException e = refused(doc(V02, stmt("S", "X", ntry("1", "USD", "DBIT",
            tx.append("</NtryDtls>").toString()))));
        assertThat(e.pointer()).isEqualTo("/entries/1/NtryDtls/TxDtls/Refs/EndToEndId");
    }

    @Test
    void oneEndToEndIdOfExactly400CharactersIsTheReference() throws IOException {
        String id = "e".repeat(400);
        Lines sink = read(doc(V02, stmt("S", "X", ntry("1", "USD", "DBIT",
            "<NtryDtls><TxDtls><Refs><EndToEndId>" + id + "</EndToEndId></Refs></TxDtls></NtryDtls>"))));
        assertThat(sink.lines.get(0).reference()).isEqualTo(id);
        Lines two = read(doc(V02, stmt("S", "X", ntry("1", "USD", "DBIT", "<NtryDtls><TxDtls><Refs><EndToEndId>"
            + "a".repeat(199) + "</EndToEndId></Refs></TxDtls><TxDtls><Refs><EndToEndId>" + "b".repeat(200)
            + "</EndToEndId></Refs></TxDtls></NtryDtls>"))));
        assertThat(two.lines.get(0).reference()).hasSize(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-02Z", "2026-01-02+01:00", "2026-01-02-05:30"})
    void aDateWithATimeZoneIsItsDate(String date) throws IOException {
        Lines sink = read(doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT", "").replace("2026-01-02", date))));
        assertThat(sink.lines.get(0).date()).isEqualTo(day("2026-01-02"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-02junk", "2026-01-02+1:00", "2026-01-02+01:00x", "2026-01-0212",
        "2026-01-02+15:00", "2026-01-02ZZ"})
    void aDateWithTrailingJunkIsRefused(String date) {
        StatementFormatException e = refused(doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT", "")
            .replace("2026-01-02", date))));
        assertThat(e.pointer()).isEqualTo("/entries/1/BookgDt");
    }

    @Test
    void anErrorQuotesAtMost80CharactersOfAValue() {
        StatementFormatException sign = refused(doc(V02, stmt("S", "X", ntry("DBIT" + "9".repeat(500), "USD",
            "DBIT", ""))));
        assertThat(sign.getMessage()).contains("'DBIT" + "9".repeat(76) + "…'").doesNotContain("9".repeat(77));
        StatementFormatException indicator = refused(doc(V02, stmt("S", "X", ntry("1", "USD", "y".repeat(500), ""))));
        assertThat(indicator.getMessage()).doesNotContain("y".repeat(81));
        assertThat(refused(doc("urn:" + "n".repeat(500), stmt("S", "X"))).getMessage()).doesNotContain("n".repeat(81));
    }

    @Test
    void theSinksOwnExceptionPassesUntouched() {
        StatementFormatException limit = new StatementFormatException("too many lines", 1, "/entries/1");
        Throwable t = catchThrowable(() -> importer.read(utf8(doc(V02, stmt("S", "X", ntry("1", "USD", "CRDT", "")))),
            (line, reference, type, amount, fee, currency, epochDay, group, description) -> {
                throw limit;
            }));
        assertThat(t).isSameAs(limit);
    }

    @Test
    void aReadForgetsTheLastFile() throws IOException {
        fixture("camt053-v02.xml");
        read(doc(V02, stmt("S9", "GB82WEST12345698765432")));
        assertThat(importer.statementIds()).containsExactly("S9");
        assertThat(importer.openingBalance()).isNull();
        assertThat(importer.skippedEntries()).isZero();
    }
}
