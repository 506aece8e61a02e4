package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an ISO 20022 bank-to-customer statement (camt.053, versions {@code .001.02} to {@code .001.13}) with
 * StAX, one entry ({@code Stmt/Ntry}) at a time, and gives each booked entry to a {@link LineSink}.
 *
 * <p>Amounts ({@code Amt} of entries, balances and charge records, {@code TtlChrgsAndTaxAmt}) are unsigned
 * decimals: a leading {@code -} or {@code +} is refused, the {@code CdtDbtInd} gives the sign.
 *
 * <p>Per entry: the amount {@code Amt} in its {@code Ccy}, positive for {@code CRDT} and negative for
 * {@code DBIT}; the date {@code BookgDt/Dt} or {@code BookgDt/DtTm} (its UTC date), else {@code ValDt}; the
 * reference the {@code Refs/EndToEndId}s of its {@code NtryDtls/TxDtls} joined by {@code |} ({@code NOTPROVIDED}
 * left out; at most 400 characters in all, else the payment information id stands for them), or, when it names
 * no usable end-to-end id, its payment information id; the group that payment information id (the first of
 * {@code NtryDtls/Btch/PmtInfId} and {@code TxDtls/Refs/PmtInfId}), else the entry's {@code NtryRef}, else its
 * {@code AcctSvcrRef}; the description the first non-empty {@code RmtInf/Ustrd}, else the first
 * {@code TxDtls/AddtlTxInf}, else the entry's {@code AddtlNtryInf}, cut to {@link LineSink#DESCRIPTION_MAX};
 * the fee the entry's bank charges ({@code Chrgs/TtlChrgsAndTaxAmt}, else the sum of {@code Chrgs/Rcrd/Amt} or, in {@code .02}, {@code Chrgs/Amt}; a charge marked {@code CRDT} counts
 * negative), which must be in the entry's currency; the type {@code return} when {@code RvslInd} is true, else
 * {@code payout} for a debit that names an end-to-end id, else {@code ""}. Only entries whose status
 * ({@code Sts}, or {@code Sts/Cd} from {@code .08} on) is {@code BOOK} are given; others are counted in
 * {@link #skippedEntries()}. Entries are numbered from 1 in document order, skipped ones included, across all
 * statements of the document.
 *
 * <p>After {@link #read} the importer tells the statement's account, ids (each at most 35 characters, as
 * ISO 20022's {@code Max35Text}; the first 100 kept, the others counted) and booked opening and closing
 * balances. A document with several statements must have them all for one account; its opening balance is the
 * first statement's {@code OPBD}, its closing balance the last statement's {@code CLBD}.
 *
 * <p>Errors are {@link StatementFormatException}s whose line is the XML line and whose pointer is
 * {@code /entries/<n>/<path in the entry>} (for example {@code /entries/3/Amt}),
 * {@code /statements/<s>/balances/<b>/<path>} or {@code /statements/<s>/...}; bytes the document's encoding
 * cannot decode are such an error ({@code not valid UTF-8}, pointer the entry or statement being read), not an
 * {@link IOException}. (The JDK's parser also prints a {@code [Fatal Error]} line to standard error for them.)
 * DTDs are refused (a DOCTYPE is an
 * error), so no entity is expanded and nothing external is fetched.
 *
 * <p>An instance keeps the results of its last {@link #read}: use one per file and thread.
 */
public final class Camt053Importer {
    private static final String NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";
    private static final int MAX_DEPTH = 64;
    private static final int MAX_TEXT = 64 * 1024;
    /** A statement's {@code Id} is ISO 20022 {@code Max35Text}. */
    static final int STATEMENT_ID_MAX = 35;
    /** How many statement ids {@link #statementIds()} keeps; the others are only counted. */
    static final int STATEMENT_IDS_KEPT = 100;

    /**
     * A booked balance of the statement.
     *
     * @param amount   minor units, signed by its {@code CdtDbtInd} (credit positive)
     * @param currency ISO 4217 code
     * @param epochDay its date ({@link java.time.LocalDate#toEpochDay()})
     */
    public record Balance(long amount, String currency, long epochDay) {
    }

    private final CurrencyScales scales;
    private String account;
    private final List<String> statementIds = new ArrayList<>();
    private long statementIdsOmitted;
    private Balance opening;
    private Balance closing;
    private long skipped;
    private long entries;

    /** @param scales the currencies the ledger knows and their scales */
    public Camt053Importer(CurrencyScales scales) {
        this.scales = Objects.requireNonNull(scales, "scales");
    }

    /** @return the statement's account: its IBAN, or its other identification; null before a read */
    public String account() {
        return account;
    }

    /** @return the first statement's {@code Id}; null before a read */
    public String statementId() {
        return statementIds.isEmpty() ? null : statementIds.get(0);
    }

    /**
     * @return the statements' {@code Id}s in document order, at most the first {@value #STATEMENT_IDS_KEPT}
     *         (see {@link #statementIdsOmitted()})
     */
    public List<String> statementIds() {
        return List.copyOf(statementIds);
    }

    /** @return how many statement ids beyond the first {@value #STATEMENT_IDS_KEPT} were counted but not kept */
    public long statementIdsOmitted() {
        return statementIdsOmitted;
    }

    /** @return the opening booked balance ({@code OPBD}) of the first statement, or null when it has none */
    public Balance openingBalance() {
        return opening;
    }

    /** @return the closing booked balance ({@code CLBD}) of the last statement, or null when it has none */
    public Balance closingBalance() {
        return closing;
    }

    /** @return how many entries were not booked ({@code Sts} other than {@code BOOK}) and so not given */
    public long skippedEntries() {
        return skipped;
    }

    /** @return how many entries the document has, given or skipped */
    public long entries() {
        return entries;
    }

    /**
     * Reads {@code in} to the end of the document, giving each booked entry to {@code sink}; does not close
     * {@code in}. Forgets what an earlier read found.
     *
     * @throws StatementFormatException when the document is not a camt.053 statement this importer reads
     * @throws IOException              when {@code in} fails
     */
    public void read(InputStream in, LineSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        account = null;
        statementIds.clear();
        statementIdsOmitted = 0;
        opening = null;
        closing = null;
        skipped = 0;
        entries = 0;
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        XMLStreamReader xml = null;
        Run run = null;
        try {
            xml = factory.createXMLStreamReader(in);
            run = new Run(xml, sink);
            run.run();
        } catch (XMLStreamException e) {
            long line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNumber(), 0);
            if (e.getNestedException() instanceof CharConversionException) {
                // bytes the document's encoding cannot decode: the file's fault, not the stream's
                String encoding = xml == null ? null : xml.getCharacterEncodingScheme();
                if (encoding == null && xml != null) {
                    encoding = xml.getEncoding();
                }
                String pointer = run == null ? "" : run.where();
                throw new StatementFormatException("line " + line + (pointer.isEmpty() ? "" : " (" + pointer + ")")
                    + ": the file is not valid " + (encoding == null ? "in its encoding" : encoding), line,
                    pointer);
            }
            if (e.getNestedException() instanceof IOException io) {
                throw io;
            }
            throw new StatementFormatException("line " + line + ": the file is not well-formed XML: "
                + e.getMessage(), line, "");
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader releases nothing of the caller's stream; a failure here changes nothing
                }
            }
        }
    }

    /** One reading: the element path, the statement, balance and entry being read. */
    private final class Run {
        private final XMLStreamReader xml;
        private final LineSink sink;
        private final String[] names = new String[MAX_DEPTH + 1];
        private final StringBuilder text = new StringBuilder();
        private int depth;
        private String namespace;

        private int statement;
        private String statementAccount;
        private int balance;
        private String balanceCode;
        private String balanceAmount;
        private String balanceCurrency;
        private String balanceSign;
        private String balanceDate;

        private boolean inEntry;
        private String amount;
        private String currency;
        private String sign;
        private boolean reversal;
        private String status;
        private String bookingDate;
        private String valueDate;
        private String entryRef;
        private String servicerRef;
        private String totalCharges;
        private String totalChargesCurrency;
        private long chargeSum;
        private String chargeCurrency;
        private String recordAmount;
        private String recordCurrency;
        private String recordSign;
        private final StringBuilder references = new StringBuilder();
        private boolean endToEnd;
        /** The entry names more end-to-end ids than a reference holds (a batch booking): its PmtInfId stands for them. */
        private boolean tooManyReferences;
        private String paymentInfo;
        private String description;
        private String transactionInfo;
        private String entryInfo;

        Run(XMLStreamReader xml, LineSink sink) {
            this.xml = xml;
            this.sink = sink;
        }

        void run() throws XMLStreamException {
            while (xml.hasNext()) {
                switch (xml.next()) {
                    case XMLStreamConstants.DTD:
                        throw fileError("a DOCTYPE is not allowed in a statement");
                    case XMLStreamConstants.START_ELEMENT:
                        start();
                        break;
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (text.length() + xml.getTextLength() > MAX_TEXT) {
                            throw fileError("an element's text is longer than " + MAX_TEXT + " characters");
                        }
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        break;
                    case XMLStreamConstants.END_ELEMENT:
                        end();
                        text.setLength(0);
                        depth--;
                        break;
                    default:
                        break;
                }
            }
            if (statement == 0) {
                throw fileError("the document has no statement (Stmt)");
            }
        }

        private void start() {
            depth++;
            if (depth > MAX_DEPTH) {
                throw fileError("elements are nested more than " + MAX_DEPTH + " deep");
            }
            text.setLength(0);
            String ns = xml.getNamespaceURI();
            if (depth == 1) {
                checkRoot(ns);
            }
            String name = namespace.equals(ns) ? xml.getLocalName() : "#other";
            names[depth] = name;
            if (depth == 3 && is(2, "BkToCstmrStmt") && name.equals("Stmt")) {
                statement++;
                statementAccount = null;
                balance = 0;
            } else if (depth == 4 && is(3, "Stmt") && name.equals("Ntry")) {
                startEntry();
            } else if (depth == 4 && is(3, "Stmt") && name.equals("Bal")) {
                balance++;
                balanceCode = null;
                balanceAmount = null;
                balanceCurrency = null;
                balanceSign = null;
                balanceDate = null;
            } else if (name.equals("Amt") || name.equals("TtlChrgsAndTaxAmt")) {
                if (inEntry && depth == 5) {
                    currency = xml.getAttributeValue(null, "Ccy");
                } else if (inEntry && depth == 6 && is(5, "Chrgs")) {
                    if (name.equals("Amt")) {
                        recordCurrency = xml.getAttributeValue(null, "Ccy");
                    } else if (totalCharges == null) {
                        totalChargesCurrency = xml.getAttributeValue(null, "Ccy");
                    }
                } else if (inEntry && depth == 7 && is(5, "Chrgs") && is(6, "Rcrd")) {
                    recordCurrency = xml.getAttributeValue(null, "Ccy");
                } else if (depth == 5 && is(4, "Bal")) {
                    balanceCurrency = xml.getAttributeValue(null, "Ccy");
                }
            }
        }

        private void checkRoot(String ns) {
            if (!"Document".equals(xml.getLocalName()) || ns == null || !ns.startsWith(NAMESPACE_PREFIX)) {
                throw fileError("not a camt.053 statement: the root element is "
                    + Values.quote("{" + ns + "}" + xml.getLocalName()) + ", not a Document of " + NAMESPACE_PREFIX
                    + "02 to 13");
            }
            String version = ns.substring(NAMESPACE_PREFIX.length());
            int v = version.length() == 2 ? Values.digits(version.toCharArray(), 0, 2) : -1;
            if (v < 2 || v > 13) {
                throw fileError(Values.quote("camt.053.001." + version) + " is not a version this importer reads (.001.02 to"
                    + " .001.13)");
            }
            namespace = ns;
        }

        private void startEntry() {
            entries++;
            inEntry = true;
            amount = null;
            currency = null;
            sign = null;
            reversal = false;
            status = null;
            bookingDate = null;
            valueDate = null;
            entryRef = null;
            servicerRef = null;
            totalCharges = null;
            totalChargesCurrency = null;
            chargeSum = 0;
            chargeCurrency = null;
            recordAmount = null;
            recordSign = null;
            references.setLength(0);
            endToEnd = false;
            tooManyReferences = false;
            paymentInfo = null;
            description = null;
            transactionInfo = null;
            entryInfo = null;
        }

        private boolean is(int level, String name) {
            return name.equals(names[level]);
        }

        private String value() {
            return text.toString().strip();
        }

        private void end() {
            String name = names[depth];
            if (inEntry) {
                endInEntry(name);
            } else if (depth == 3 && name.equals("Stmt")) {
                endStatement();
            } else if (depth == 4 && is(3, "Stmt") && name.equals("Id")) {
                endStatementId(value());
            } else if (is(3, "Stmt") && is(4, "Acct") && is(5, "Id")
                && (depth == 6 && name.equals("IBAN") || depth == 7 && is(6, "Othr") && name.equals("Id"))) {
                statementAccount = value();
            } else if (depth >= 4 && is(3, "Stmt") && is(4, "Bal")) {
                endInBalance(name);
            }
        }

        private void endStatementId(String id) {
            if (id.length() > STATEMENT_ID_MAX) {
                throw error("/statements/" + statement + "/Id", "the statement's Id is longer than "
                    + STATEMENT_ID_MAX + " characters");
            }
            if (statementIds.size() < STATEMENT_IDS_KEPT) {
                statementIds.add(id);
            } else {
                statementIdsOmitted++;
            }
        }

        private void endStatement() {
            if (statementAccount == null || statementAccount.isEmpty()) {
                throw error("/statements/" + statement + "/Acct", "the statement names no account (Acct/Id)");
            }
            if (account == null) {
                account = statementAccount;
            } else if (!account.equals(statementAccount)) {
                throw error("/statements/" + statement + "/Acct", "statement " + statement + " is for account "
                    + statementAccount + ", the first for " + account + "; one document must be one account");
            }
        }

        private void endInBalance(String name) {
            if (depth == 7 && is(5, "Tp") && is(6, "CdOrPrtry") && name.equals("Cd")) {
                balanceCode = value();
            } else if (depth == 5 && name.equals("Amt")) {
                balanceAmount = value();
            } else if (depth == 5 && name.equals("CdtDbtInd")) {
                balanceSign = value();
            } else if (depth == 6 && is(5, "Dt") && (name.equals("Dt") || name.equals("DtTm"))) {
                balanceDate = value();
            } else if (depth == 4) {
                endBalance();
            }
        }

        private void endBalance() {
            boolean open = "OPBD".equals(balanceCode);
            if (!open && !"CLBD".equals(balanceCode)) {
                return;
            }
            String at = "/statements/" + statement + "/balances/" + balance;
            if (balanceAmount == null) {
                throw error(at + "/Amt", "the " + balanceCode + " balance has no amount");
            }
            String ccy = known(balanceCurrency, at + "/Amt");
            long minor = minor(balanceAmount, ccy, at + "/Amt");
            long signed = signed(minor, balanceSign, at + "/CdtDbtInd");
            if (balanceDate == null) {
                throw error(at + "/Dt", "the " + balanceCode + " balance has no date");
            }
            Balance b = new Balance(signed, ccy, day(balanceDate, at + "/Dt"));
            if (open) {
                if (opening == null) {
                    opening = b;
                }
            } else {
                closing = b;
            }
        }

        private void endInEntry(String name) {
            if (depth == 4) {
                endEntry();
                inEntry = false;
                return;
            }
            if (depth == 5) {
                switch (name) {
                    case "Amt" -> amount = value();
                    case "CdtDbtInd" -> sign = value();
                    case "RvslInd" -> reversal = "true".equals(value()) || "1".equals(value());
                    case "Sts" -> {
                        if (status == null && !value().isEmpty()) {
                            status = value();
                        }
                    }
                    case "NtryRef" -> entryRef = value();
                    case "AcctSvcrRef" -> servicerRef = value();
                    case "AddtlNtryInf" -> {
                        if (entryInfo == null && !value().isEmpty()) {
                            entryInfo = Values.description(value());
                        }
                    }
                    case "Chrgs" -> endChargeRecord("/Chrgs");
                    default -> {
                    }
                }
            } else if (depth == 6) {
                String parent = names[5];
                if (parent.equals("Sts") && (name.equals("Cd") || name.equals("Prtry")) && status == null) {
                    status = value();
                } else if ((parent.equals("BookgDt") || parent.equals("ValDt"))
                    && (name.equals("Dt") || name.equals("DtTm"))) {
                    if (parent.equals("BookgDt")) {
                        bookingDate = value();
                    } else {
                        valueDate = value();
                    }
                } else if (parent.equals("Chrgs")) {
                    switch (name) {
                        case "TtlChrgsAndTaxAmt" -> {
                            if (totalCharges == null) {
                                totalCharges = value();
                            }
                        }
                        case "Amt" -> recordAmount = value();
                        case "CdtDbtInd" -> recordSign = value();
                        case "Rcrd" -> endChargeRecord("/Chrgs/Rcrd");
                        default -> {
                        }
                    }
                }
            } else if (depth == 7 && is(5, "NtryDtls") && is(6, "TxDtls")) {
                if (name.equals("AddtlTxInf") && transactionInfo == null && !value().isEmpty()) {
                    transactionInfo = Values.description(value());
                }
            } else if (depth == 7 && is(5, "NtryDtls") && is(6, "Btch")) {
                if (name.equals("PmtInfId") && paymentInfo == null && !value().isEmpty()) {
                    paymentInfo = value();
                }
            } else if (depth == 7 && is(5, "Chrgs") && is(6, "Rcrd")) {
                if (name.equals("Amt")) {
                    recordAmount = value();
                } else if (name.equals("CdtDbtInd")) {
                    recordSign = value();
                }
            } else if (depth == 8 && is(5, "NtryDtls") && is(6, "TxDtls")) {
                if (is(7, "Refs") && name.equals("EndToEndId")) {
                    addEndToEnd(value());
                } else if (is(7, "Refs") && name.equals("PmtInfId") && paymentInfo == null && !value().isEmpty()) {
                    paymentInfo = value();
                } else if (is(7, "RmtInf") && name.equals("Ustrd") && description == null && !value().isEmpty()) {
                    description = Values.description(value());
                }
            }
        }

        private void addEndToEnd(String id) {
            if (id.isEmpty() || id.equals("NOTPROVIDED")) {
                return;
            }
            endToEnd = true;
            int joined = (references.length() == 0 ? 0 : references.length() + 1) + id.length();
            if (tooManyReferences || joined > Values.REFERENCE_MAX) {
                // a batch booking of many transactions: named by its payment information id instead (see endEntry)
                tooManyReferences = true;
                return;
            }
            if (references.length() > 0) {
                references.append('|');
            }
            references.append(id);
        }

        private void endChargeRecord(String path) {
            if (recordAmount == null) {
                return;
            }
            String at = entry() + path + "/Amt";
            String ccy = known(recordCurrency, at);
            if (chargeCurrency != null && !chargeCurrency.equals(ccy)) {
                throw error(at, "the entry's charges are in " + chargeCurrency + " and " + ccy);
            }
            chargeCurrency = ccy;
            long charge = minor(recordAmount, ccy, at);
            try {
                chargeSum = Math.addExact(chargeSum, "CRDT".equals(recordSign) ? -charge : charge);
            } catch (ArithmeticException e) {
                throw error(at, "the entry's charges add up to more than an amount can hold");
            }
            recordAmount = null;
            recordSign = null;
        }

        private String entry() {
            return "/entries/" + entries;
        }

        /** @return the pointer of what is being read: the entry, else the statement, else {@code ""} */
        String where() {
            return inEntry ? entry() : statement > 0 ? "/statements/" + statement : "";
        }

        private void endEntry() {
            if (status == null) {
                throw error(entry() + "/Sts", "the entry has no status (Sts)");
            }
            if (!status.equals("BOOK")) {
                skipped++;
                return;
            }
            if (amount == null) {
                throw error(entry() + "/Amt", "the entry has no amount (Amt)");
            }
            String ccy = known(currency, entry() + "/Amt");
            long signedAmount = signed(minor(amount, ccy, entry() + "/Amt"), sign, entry() + "/CdtDbtInd");
            long day;
            if (bookingDate != null) {
                day = day(bookingDate, entry() + "/BookgDt");
            } else if (valueDate != null) {
                day = day(valueDate, entry() + "/ValDt");
            } else {
                throw error(entry() + "/BookgDt", "the entry has neither a booking nor a value date");
            }
            long fee = chargeSum;
            if (totalCharges != null) {
                String at = entry() + "/Chrgs/TtlChrgsAndTaxAmt";
                chargeCurrency = known(totalChargesCurrency, at);
                fee = minor(totalCharges, chargeCurrency, at);
            }
            if (chargeCurrency != null && !chargeCurrency.equals(ccy)) {
                throw error(entry() + "/Chrgs", "the entry is in " + ccy + ", its charges in " + chargeCurrency);
            }
            if (tooManyReferences) {
                if (paymentInfo == null) {
                    throw error(entry() + "/NtryDtls/TxDtls/Refs/EndToEndId", "the entry's end-to-end ids, joined, are"
                        + " longer than " + Values.REFERENCE_MAX + " characters and it names no payment information id"
                        + " (PmtInfId) to stand for them");
                }
                references.setLength(0);
                references.append(paymentInfo);
            } else if (!endToEnd && paymentInfo != null) {
                // no usable end-to-end id: the payment information id names the entry (a batch booking)
                references.append(paymentInfo);
            }
            String type = reversal ? "return" : "DBIT".equals(sign) && endToEnd ? "payout" : "";
            String group = paymentInfo != null ? paymentInfo : entryRef != null && !entryRef.isEmpty() ? entryRef
                : servicerRef != null ? servicerRef : "";
            if (group.length() > Values.REFERENCE_MAX) {
                throw error(entry(), "the entry's group is longer than " + Values.REFERENCE_MAX + " characters");
            }
            String text = description != null ? description : transactionInfo != null ? transactionInfo
                : entryInfo != null ? entryInfo : "";
            sink.line(entries, references.toString(), type, signedAmount, fee, ccy, day, group, text);
        }

        private String known(String code, String at) {
            if (code == null || code.isBlank()) {
                throw error(at, "the amount has no currency (Ccy)");
            }
            String ccy = code.strip();
            if (scales.scaleOf(ccy) < 0) {
                throw error(at, "unknown currency " + Values.quote(ccy));
            }
            return ccy;
        }

        private long minor(String value, String ccy, String at) {
            if (!value.isEmpty() && (value.charAt(0) == '-' || value.charAt(0) == '+')) {
                throw error(at, "amount " + Values.quote(value) + " has a sign: amounts are unsigned; CdtDbtInd gives the sign");
            }
            try {
                return Values.minorUnits(value, scales.scaleOf(ccy), '.', ccy);
            } catch (Values.BadValue e) {
                throw error(at, "amount " + e.getMessage());
            }
        }

        private long signed(long minor, String indicator, String at) {
            if ("CRDT".equals(indicator)) {
                return minor;
            }
            if ("DBIT".equals(indicator)) {
                return -minor;
            }
            throw error(at, indicator == null ? "CdtDbtInd (CRDT or DBIT) is missing"
                : "CdtDbtInd is CRDT or DBIT, not " + Values.quote(indicator));
        }

        private long day(String value, String at) {
            String v = value;
            if (v.length() > 10 && v.indexOf('T') < 0 && isOffset(v, 10)) {
                v = v.substring(0, 10); // an xs:date with its time zone (2026-01-02Z, 2026-01-02+01:00)
            }
            try {
                return Values.isoEpochDay(v);
            } catch (Values.BadValue e) {
                throw error(at, "the date " + e.getMessage());
            }
        }

        /** @return whether {@code v} from {@code from} is exactly a time zone: {@code Z} or {@code ±hh:mm} */
        private static boolean isOffset(String v, int from) {
            int len = v.length() - from;
            if (len == 1) {
                return v.charAt(from) == 'Z';
            }
            if (len != 6 || v.charAt(from) != '+' && v.charAt(from) != '-' || v.charAt(from + 3) != ':') {
                return false;
            }
            char[] a = v.toCharArray();
            int h = Values.digits(a, from + 1, 2);
            int m = Values.digits(a, from + 4, 2);
            return h >= 0 && h <= 14 && m >= 0 && m <= 59;
        }

        private StatementFormatException error(String pointer, String what) {
            long line = xml.getLocation().getLineNumber();
            return new StatementFormatException("line " + line + " (" + pointer + "): " + what, line, pointer);
        }

        private StatementFormatException fileError(String what) {
            long line = Math.max(xml.getLocation().getLineNumber(), 0);
            return new StatementFormatException("line " + line + ": " + what, line, "");
        }
    }
}
