package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * Reads the JSON bodies of the ledger's answers into the value types. Results must come one per event,
 * in request order; anything else is a malformed response ({@link UncheckedIOException}), because then
 * the outcome of the events is unknown. Allocates per value.
 */
final class JsonResponseReader {
    private static final long LEDGER_MAX = Integer.MAX_VALUE;
    private static final int DETAIL_MAX_CHARS = 500;

    private JsonResponseReader() {
    }

    static <S extends Enum<S>> List<CreateResult<S>> createResults(byte[] body, int count,
                                                                   Function<String, S> statusOfWireName) {
        List<CreateResult<S>> exact = ExactCreateResults.read(body, count, statusOfWireName);
        if (exact != null) {
            return exact;
        }
        List<CreateResult<S>> streamed = createResultsStreamed(body, count, statusOfWireName);
        return streamed != null ? streamed : createResultsFromTree(body, count, statusOfWireName);
    }

    /** {@link #createResults} read through the general tree of {@link JsonTree}: every refusal is made here. */
    static <S extends Enum<S>> List<CreateResult<S>> createResultsFromTree(byte[] body, int count, Function<String, S> statusOfWireName) {
        List<JsonFields> items = results(body, count);
        List<CreateResult<S>> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonFields item = items.get(i);
            S status = status(item, statusOfWireName);
            results.add(new CreateResult<>(i, status, item.unsigned64(TIMESTAMP)));
        }
        return results;
    }

    /**
     * {@link #createResults} for the answer as the server writes it, read as a stream instead of a tree (a full
     * batch's 0.9 MB answer in a fraction of the time, with one object per result): a root object holding only
     * {@code results}, each result only {@code index} (a whole number equal to its place), {@code id} (a string),
     * {@code status} (a known name) and {@code timestamp} (a string of digits within 64 bits unsigned), each at most
     * once, nothing after the root. Anything else — a field it does not know or given twice, another type, a count
     * or index that does not fit, malformed JSON — gives null, and the tree reading above decides, so every answer
     * and every refusal is the tree reading's.
     */
    static <S extends Enum<S>> List<CreateResult<S>> createResultsStreamed(byte[] body, int count, Function<String, S> statusOfWireName) {
        try (JsonParser parser = JsonTree.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                || !RESULTS.equals(parser.currentName()) || parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<CreateResult<S>> results = new ArrayList<>(count);
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                int i = results.size();
                if (i == count) {
                    return null;
                }
                S status = null;
                long timestamp = 0;
                int seen = 0;
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    int bit = switch (name) {
                        case INDEX -> 1;
                        case ID -> 2;
                        case STATUS -> 4;
                        case TIMESTAMP -> 8;
                        default -> 0;
                    };
                    if (bit == 0 || (seen & bit) != 0) {
                        return null;
                    }
                    seen |= bit;
                    token = parser.nextToken();
                    if (bit == 1) {
                        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                            || parser.getIntValue() != i) {
                            return null;
                        }
                    } else if (token != JsonToken.VALUE_STRING) {
                        return null;
                    } else if (bit == 2) {
                        // Not needed, but read, so that Jackson's checks on strings (UTF-8, length) run as in the tree.
                        parser.getText();
                    } else if (bit == 4) {
                        status = statusOfWireName.apply(parser.getText());
                        if (status == null) {
                            return null;
                        }
                    } else if (bit == 8) {
                        timestamp = unsignedDecimal(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                        if (timestamp == NOT_A_U64) {
                            return null;
                        }
                    }
                }
                if (token != JsonToken.END_OBJECT || status == null) {
                    return null;
                }
                results.add(new CreateResult<>(i, status, timestamp));
            }
            if (token != JsonToken.END_ARRAY || results.size() != count || parser.nextToken() != JsonToken.END_OBJECT
                || parser.nextToken() != null) {
                return null;
            }
            return results;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stands for "not a decimal u64" below: no digit string of at most 20 digits maps to it but 2^64 - 1 itself. */
    static final long NOT_A_U64 = -1L;

    /** {@code value * 10 + digit} as an unsigned 64-bit value, or {@link #NOT_A_U64} if it does not fit (or is it). */
    static long appendDigit(long value, int digit) {
        long times10 = value * 10;
        if (Long.compareUnsigned(value, 0x1999_9999_9999_9999L) > 0
            || Long.compareUnsigned(times10 + digit, times10) < 0) {
            return NOT_A_U64;
        }
        return times10 + digit;
    }

    /**
     * 1 to 20 ASCII digits as an unsigned 64-bit value, or {@link #NOT_A_U64} for anything else (so 2^64 - 1, which
     * no timestamp reaches, is declined too and left to the tree reading).
     */
    private static long unsignedDecimal(char[] text, int offset, int length) {
        if (length < 1 || length > 20) {
            return NOT_A_U64;
        }
        long value = 0;
        for (int k = 0; k < length; k++) {
            int digit = text[offset + k] - '0';
            if (digit < 0 || digit > 9) {
                return NOT_A_U64;
            }
            value = appendDigit(value, digit);
            if (value == NOT_A_U64) {
                return NOT_A_U64;
            }
        }
        return value;
    }

    static List<JournalEntryResult> entryResults(byte[] body, int count) {
        List<JsonFields> items = results(body, count);
        List<JournalEntryResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonFields item = items.get(i);
            CreateTransferStatus status = status(item, CreateTransferStatus::ofWireName);
            int failedPosting = item.has(FAILED_POSTING) ? (int) item.integer(FAILED_POSTING, 0, Integer.MAX_VALUE) : -1;
            results.add(new JournalEntryResult(i, item.uuid(ID), status, item.unsigned64(TIMESTAMP), failedPosting));
        }
        return results;
    }

    static AccountDetails account(byte[] body) {
        return account(new JsonFields(JsonTree.parseObject(body)));
    }

    static TransferDetails transfer(byte[] body) {
        return transfer(new JsonFields(JsonTree.parseObject(body)));
    }

    static Page<Transfer> transfers(byte[] body) {
        JsonFields page = new JsonFields(JsonTree.parseObject(body));
        List<Transfer> transfers = new ArrayList<>();
        for (JsonFields item : page.objects(TRANSFERS)) {
            transfers.add(transfer(item).transfer());
        }
        return new Page<>(transfers, page.text(NEXT));
    }

    static Page<AccountBalance> balances(byte[] body) {
        JsonFields page = new JsonFields(JsonTree.parseObject(body));
        List<AccountBalance> balances = new ArrayList<>();
        for (JsonFields item : page.objects(BALANCES)) {
            balances.add(new AccountBalance(item.unsigned64(TIMESTAMP), item.unsigned64(DEBITS_PENDING),
                item.unsigned64(DEBITS_POSTED), item.unsigned64(CREDITS_PENDING), item.unsigned64(CREDITS_POSTED)));
        }
        return new Page<>(balances, page.text(NEXT));
    }

    /**
     * The problem an error answer describes. An answer that is not a readable problem (say, an HTML page
     * from a proxy) still becomes one, with the status and the start of the body as its detail.
     */
    static LedgerProblemException problem(int status, String contentType, String requestIdHeader, byte[] body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(PROBLEM_JSON)) {
            try {
                JsonFields problem = new JsonFields(JsonTree.parseObject(body));
                String requestId = problem.text(REQUEST_ID);
                return new LedgerProblemException(status, problem.text(PROBLEM_TYPE), problem.text(PROBLEM_TITLE),
                    problem.text(PROBLEM_DETAIL), problem.text(PROBLEM_POINTER), problem.text(PROBLEM_INSTANCE),
                    requestId != null ? requestId : requestIdHeader);
            } catch (UncheckedIOException unreadable) {
                // described below from the raw body
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String detail = text.length() <= DETAIL_MAX_CHARS ? text : text.substring(0, DETAIL_MAX_CHARS) + "...";
        return new LedgerProblemException(status, null, null, detail.isEmpty() ? null : detail, null, null,
            requestIdHeader);
    }

    /**
     * The answer to a batch of {@code count} events sent with {@code ?results=failures}: only the events that were not
     * created, each with its index (below {@code count}, rising), in event order; an empty list when all were.
     */
    static <S extends Enum<S>> List<CreateResult<S>> failureResults(byte[] body, int count,
                                                                    Function<String, S> statusOfWireName, S created) {
        List<JsonFields> items = new JsonFields(JsonTree.parseObject(body)).objects(RESULTS);
        if (items.size() > count) {
            throw JsonTree.malformed("at most " + count + " results expected, " + items.size() + " received");
        }
        List<CreateResult<S>> results = new ArrayList<>(items.size());
        int last = -1;
        for (JsonFields item : items) {
            if (!item.has(INDEX)) {
                throw JsonTree.malformed("a result without its index in an answer of failures only");
            }
            int index = (int) item.integer(INDEX, 0, count - 1L);
            if (index <= last) {
                throw JsonTree.malformed("result for event " + index + " after the result for event " + last);
            }
            S status = status(item, statusOfWireName);
            if (status == created) {
                throw JsonTree.malformed("a result for a created event (" + index + ") in an answer of failures only: the"
                    + " server ignored results=failures");
            }
            results.add(new CreateResult<>(index, status, item.unsigned64(TIMESTAMP)));
            last = index;
        }
        return results;
    }

    private static List<JsonFields> results(byte[] body, int count) {
        List<JsonFields> items = new JsonFields(JsonTree.parseObject(body)).objects(RESULTS);
        if (items.size() != count) {
            throw JsonTree.malformed(count + " results expected, " + items.size() + " received");
        }
        for (int i = 0; i < count; i++) {
            if (items.get(i).has(INDEX) && items.get(i).integer(INDEX, 0, Integer.MAX_VALUE) != i) {
                throw JsonTree.malformed("result " + i + " has index " + items.get(i).integer(INDEX, 0, Integer.MAX_VALUE));
            }
        }
        return items;
    }

    private static <S> S status(JsonFields item, Function<String, S> statusOfWireName) {
        String name = item.text(STATUS);
        S status = name == null ? null : statusOfWireName.apply(name);
        if (status == null) {
            throw JsonTree.malformed("unknown status '" + name + "'");
        }
        return status;
    }

    private static AccountDetails account(JsonFields fields) {
        Account account = new Account(fields.uuid(ID), fields.unsigned64(DEBITS_PENDING), fields.unsigned64(DEBITS_POSTED),
            fields.unsigned64(CREDITS_PENDING), fields.unsigned64(CREDITS_POSTED), fields.uuid(USER_DATA_128),
            fields.unsigned64(USER_DATA_64), fields.unsigned32(USER_DATA_32), (int) fields.integer(LEDGER, 0, LEDGER_MAX),
            (int) fields.integer(CODE, 0, 0xFFFF), fields.flags(FLAGS, AccountFlags::bitOf), fields.unsigned64(TIMESTAMP), 0);
        return new AccountDetails(account, fields.text(TENANT), fields.text(METADATA));
    }

    private static TransferDetails transfer(JsonFields fields) {
        Transfer transfer = new Transfer(fields.uuid(ID), fields.uuid(DEBIT_ACCOUNT_ID), fields.uuid(CREDIT_ACCOUNT_ID),
            fields.unsigned64(AMOUNT), fields.uuid(PENDING_ID), fields.uuid(USER_DATA_128), fields.unsigned64(USER_DATA_64),
            fields.unsigned32(USER_DATA_32), fields.unsigned32(TIMEOUT), (int) fields.integer(LEDGER, 0, LEDGER_MAX),
            (int) fields.integer(CODE, 0, 0xFFFF), fields.flags(FLAGS, TransferFlags::bitOf), fields.unsigned64(TIMESTAMP),
            pendingStatus(fields.text(PENDING_STATUS)));
        return new TransferDetails(transfer, fields.text(METADATA));
    }

    private static PendingStatus pendingStatus(String wireName) {
        if (wireName == null) {
            return PendingStatus.NONE;
        }
        for (PendingStatus status : PendingStatus.values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        throw JsonTree.malformed("unknown pending status '" + wireName + "'");
    }
}
