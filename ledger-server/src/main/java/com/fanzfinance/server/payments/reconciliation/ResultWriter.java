package com.fanzfinance.server.payments.reconciliation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import com.fanzfinance.reconciliation.match.Field;
import com.fanzfinance.reconciliation.match.MatchSink;
import com.fanzfinance.reconciliation.match.Reason;
import com.fanzfinance.reconciliation.match.Rule;
import com.fanzfinance.reconciliation.match.StatementLines;

/**
 * Takes the matcher's verdicts and writes each as a result entry (PAYMENTS-API §7) to a temporary file, in chunks
 * of {@value #CHUNK}, for one {@code COPY} into {@code reconciliation_entries} — so a million entries never sit in
 * memory — while it
 * counts the summary and per-currency totals and gathers what the adjusting entries need.
 */
final class ResultWriter implements MatchSink, AutoCloseable {
    /** The result sections, in the order the document shows them. */
    enum Section {
        MATCHED("matched"), DIFFERING("differing"), UNMATCHED_LEDGER("unmatched_ledger"),
        UNMATCHED_STATEMENT("unmatched_statement");

        final String wireName;

        Section(String wireName) {
            this.wireName = wireName;
        }
    }

    /** A group the matcher decided, as the proposals need it. */
    record Decided(Rule rule, int[] lines, int[] items, long statementAmount, long statementFee, long ledgerAmount,
                   long ledgerFee, String currency, Set<Field> fields) {
        boolean matched() {
            return fields.isEmpty();
        }
    }

    /** What the proposals need to know about the groups: the caller decides which ones to keep. */
    interface Observer {
        void decided(Decided group);

        void unmatchedStatement(int line, String reason);
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final String BALANCE = "balance";

    private final UUID reconciliationId;
    private final StatementLines lines;
    private final LedgerSide ledger;
    private final Observer observer;
    private final Path file;
    private final BufferedWriter out;
    private final Map<Section, Integer> counts = new EnumMap<>(Section.class);
    private final Map<String, long[]> totals = new TreeMap<>();
    /** The reason written for each excluded type (a processor's fee line is {@code fee-not-booked}, …). */
    private final Map<String, String> excludedReasons;

    /** Unmatched ledger items dated outside the statement's own dates belong to other statements: counted only. */
    private final int firstDay;
    private final int lastDay;
    private long outside;

    ResultWriter(UUID reconciliationId, StatementLines lines, LedgerSide ledger, Map<String, String> excludedReasons,
                 Observer observer) {
        this.firstDay = lines.minEpochDay();
        this.lastDay = lines.maxEpochDay();
        this.reconciliationId = reconciliationId;
        this.lines = lines;
        this.ledger = ledger;
        this.excludedReasons = excludedReasons;
        this.observer = observer;
        for (Section section : Section.values()) {
            counts.put(section, 0);
        }
        Path created = null;
        try {
            created = Files.createTempFile(TEMP_PREFIX, TEMP_SUFFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            this.out = Files.newBufferedWriter(created, StandardCharsets.UTF_8);
            this.file = created;
        } catch (IOException e) {
            if (created != null) {
                try {
                    Files.deleteIfExists(created);
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new UncheckedIOException("cannot create a temporary file for the result", e);
        }
    }

    static final String TEMP_PREFIX = "fanz-reconciliation-";
    static final String TEMP_SUFFIX = ".copy";

    /** Deletes result files a crashed process left in the temporary directory (older than a day). */
    static void deleteStaleFiles() {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        java.time.Instant before = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        try (var files = Files.newDirectoryStream(directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path stale : files) {
                if (Files.getLastModifiedTime(stale).toInstant().isBefore(before)) {
                    Files.deleteIfExists(stale);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a file that cannot be listed or deleted is left for the operating system's cleaner
        }
    }

    /** Totals slots per currency. */
    static final int LINES = 0;
    static final int LINES_AMOUNT = 1;
    static final int LINES_FEE = 2;
    static final int ITEMS = 3;
    static final int ITEMS_AMOUNT = 4;
    static final int ITEMS_FEE = 5;
    static final int MATCHED_AMOUNT = 6;
    static final int DIFFERING_STATEMENT = 7;
    static final int DIFFERING_LEDGER = 8;
    static final int UNMATCHED_STATEMENT_AMOUNT = 9;
    static final int UNMATCHED_LEDGER_AMOUNT = 10;
    private static final int SLOTS = 11;

    @Override
    public void matched(Rule rule, int[] lineIndexes, int[] itemIndexes) {
        long[] sums = sums(lineIndexes, itemIndexes);
        String currency = ledger.items.currency(itemIndexes[0]);
        add(currency, MATCHED_AMOUNT, sums[2]);
        countItems(itemIndexes);
        write(Section.MATCHED, json -> group(json, rule, lineIndexes, itemIndexes));
        observer.decided(new Decided(rule, lineIndexes, itemIndexes, sums[0], sums[1], sums[2], sums[3], currency, Set.of()));
    }

    @Override
    public void differing(Rule rule, int[] lineIndexes, int[] itemIndexes, long statementAmount, long statementFee,
                          long ledgerAmount, long ledgerFee, Set<Field> fields) {
        String currency = lines.currency(lineIndexes[0]);
        for (int line : lineIndexes) {
            add(lines.currency(line), DIFFERING_STATEMENT, lines.amount(line));
        }
        for (int item : itemIndexes) {
            add(ledger.items.currency(item), DIFFERING_LEDGER, ledger.items.amount(item));
        }
        countItems(itemIndexes);
        write(Section.DIFFERING, json -> {
            group(json, rule, lineIndexes, itemIndexes);
            json.writeArrayFieldStart("fields");
            for (Field field : fields) {
                json.writeString(field.name().toLowerCase(java.util.Locale.ROOT));
            }
            json.writeEndArray();
            money(json, "statement", statementAmount, statementFee);
            money(json, "ledger", ledgerAmount, ledgerFee);
            money(json, "difference", statementAmount - ledgerAmount, statementFee - ledgerFee);
        });
        observer.decided(new Decided(rule, lineIndexes, itemIndexes, statementAmount, statementFee, ledgerAmount,
            ledgerFee, currency, Set.copyOf(fields)));
    }

    @Override
    public void unmatchedStatement(int line, Reason reason) {
        String wire = reason == Reason.EXCLUDED
            ? excludedReasons.getOrDefault(lines.type(line), reason.wireName()) : reason.wireName();
        if (!BALANCE.equals(lines.type(line))) {
            add(lines.currency(line), UNMATCHED_STATEMENT_AMOUNT, lines.amount(line));
        }
        write(Section.UNMATCHED_STATEMENT, json -> {
            json.writeNumberField("line", lines.lineNumber(line));
            json.writeStringField("reference", lines.reference(line));
            json.writeStringField("amount", Long.toString(lines.amount(line)));
            json.writeStringField("fee", Long.toString(lines.fee(line)));
            json.writeStringField("currency", lines.currency(line));
            json.writeStringField("date", LocalDate.ofEpochDay(lines.epochDay(line)).toString());
            json.writeStringField("type", lines.type(line));
            json.writeStringField("description", lines.description(line));
            json.writeStringField("reason", wire);
        });
        observer.unmatchedStatement(line, wire);
    }

    @Override
    public void unmatchedLedger(int item) {
        int day = ledger.items.epochDay(item);
        if (day < firstDay || day > lastDay) {
            outside++;
            return;
        }
        add(ledger.items.currency(item), UNMATCHED_LEDGER_AMOUNT, ledger.items.amount(item));
        countItems(new int[] {item});
        write(Section.UNMATCHED_LEDGER, json -> {
            item(json, item);
            json.writeStringField("date", LocalDate.ofEpochDay(ledger.items.epochDay(item)).toString());
        });
    }

    /**
     * Counts every line of the statement into the totals (called once; a {@code balance} line is counted, its amount
     * is not a movement). Ledger items are counted as the result names them: those in groups, and the unmatched ones
     * dated within the statement's dates.
     */
    void countSides() {
        for (int i = 0; i < lines.size(); i++) {
            add(lines.currency(i), LINES, 1);
            if (!BALANCE.equals(lines.type(i))) {
                add(lines.currency(i), LINES_AMOUNT, lines.amount(i));
                add(lines.currency(i), LINES_FEE, lines.fee(i));
            }
        }
    }

    private void countItems(int[] itemIndexes) {
        for (int item : itemIndexes) {
            String currency = ledger.items.currency(item);
            add(currency, ITEMS, 1);
            add(currency, ITEMS_AMOUNT, ledger.items.amount(item));
            add(currency, ITEMS_FEE, ledger.items.fee(item));
        }
    }

    /** Unmatched ledger items left out because they are dated outside the statement's dates. */
    long outside() {
        return outside;
    }

    int count(Section section) {
        return counts.get(section);
    }

    Map<String, long[]> totals() {
        return totals;
    }

    /** The entries written, as rows of {@code COPY}'s text format (see {@link #flush}); every chunk ended. */
    Path file() {
        try {
            for (Map.Entry<Section, Chunk> open : chunks.entrySet()) {
                if (open.getValue().count > 0) {
                    flush(open.getKey(), open.getValue());
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // closing a temporary file we are about to delete
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** Entries per stored row: a section is stored as JSON arrays of this many entries (the last one shorter). */
    static final int CHUNK = 500;

    /** One section's chunk being written: a JSON array open on a text buffer. */
    private static final class Chunk {
        final StringWriter text = new StringWriter(CHUNK * 200);
        JsonGenerator json;
        int first;
        int count;
    }

    private final Map<Section, Chunk> chunks = new EnumMap<>(Section.class);

    private void write(Section section, Body body) {
        int position = counts.merge(section, 1, Integer::sum);
        Chunk chunk = chunks.computeIfAbsent(section, key -> new Chunk());
        try {
            if (chunk.count == 0) {
                chunk.text.getBuffer().setLength(0);
                chunk.json = JSON.createGenerator(chunk.text);
                chunk.json.writeStartArray();
                chunk.first = position;
            }
            chunk.json.writeStartObject();
            body.write(chunk.json);
            chunk.json.writeEndObject();
            if (++chunk.count == CHUNK) {
                flush(section, chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends the chunk and writes it as one row of {@code COPY}'s text format: {@code reconciliation_id, section,
     * position (its first entry's), count, entries}. Compact JSON has no raw tab or line break; its backslashes
     * are doubled.
     */
    private void flush(Section section, Chunk chunk) throws IOException {
        chunk.json.writeEndArray();
        chunk.json.close();
        String text = chunk.text.toString();
        out.write(reconciliationId.toString());
        out.write('\t');
        out.write(section.wireName);
        out.write('\t');
        out.write(Integer.toString(chunk.first));
        out.write('\t');
        out.write(Integer.toString(chunk.count));
        out.write('\t');
        out.write(text.indexOf('\\') < 0 ? text : text.replace("\\", "\\\\"));
        out.write('\n');
        chunk.count = 0;
    }

    private void group(JsonGenerator json, Rule rule, int[] lineIndexes, int[] itemIndexes) throws IOException {
        json.writeStringField("rule", rule.wireName());
        json.writeArrayFieldStart("lines");
        for (int line : lineIndexes) {
            json.writeNumber(lines.lineNumber(line));
        }
        json.writeEndArray();
        json.writeArrayFieldStart("items");
        for (int item : itemIndexes) {
            json.writeStartObject();
            item(json, item);
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void item(JsonGenerator json, int item) throws IOException {
        LedgerSide.Kind kind = ledger.kind(item);
        String idField = switch (kind) {
            case EVENT, CHARGEBACK -> "event_id";
            case PAYOUT, PAYOUT_RETURN -> "payout_id";
            case SETTLEMENT -> "settlement_id";
        };
        json.writeStringField(idField, ledger.items.id(item).toString());
        if (kind == LedgerSide.Kind.PAYOUT_RETURN) {
            json.writeBooleanField("return", true);
        }
        json.writeStringField("reference", ledger.items.reference(item));
        json.writeStringField("amount", Long.toString(ledger.items.amount(item)));
        json.writeStringField("fee", Long.toString(ledger.items.fee(item)));
        json.writeStringField("currency", ledger.items.currency(item));
    }

    private static void money(JsonGenerator json, String name, long amount, long fee) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("amount", Long.toString(amount));
        json.writeStringField("fee", Long.toString(fee));
        json.writeEndObject();
    }

    /** {statement amount, statement fee, ledger amount, ledger fee}. */
    private long[] sums(int[] lineIndexes, int[] itemIndexes) {
        long[] sums = new long[4];
        for (int line : lineIndexes) {
            sums[0] = Math.addExact(sums[0], lines.amount(line));
            sums[1] = Math.addExact(sums[1], lines.fee(line));
        }
        for (int item : itemIndexes) {
            sums[2] = Math.addExact(sums[2], ledger.items.amount(item));
            sums[3] = Math.addExact(sums[3], ledger.items.fee(item));
        }
        return sums;
    }

    private void add(String currency, int slot, long value) {
        long[] slots;
        if (currency.equals(lastCurrency)) {
            slots = lastSlots;
        } else {
            slots = totals.computeIfAbsent(currency, code -> new long[SLOTS]);
            lastCurrency = currency;
            lastSlots = slots;
        }
        slots[slot] = Math.addExact(slots[slot], value);
    }

    /** The totals of the currency last added to (statements are mostly one currency). */
    private String lastCurrency;
    private long[] lastSlots;
}
