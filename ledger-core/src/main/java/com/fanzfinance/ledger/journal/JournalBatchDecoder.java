package com.fanzfinance.ledger.journal;

import java.util.Arrays;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.AccountLayout;

/**
 * Checks a journal batch read back from disk and walks its commands. The pairing of
 * {@link JournalBatchEncoder}: every field written is validated after reading, before anything is
 * applied. The batch must sit in a heap buffer (copy it out of the queue first).
 */
public final class JournalBatchDecoder {
    private final CRC32C crc = new CRC32C();
    private final byte[] expectedHash = new byte[JournalFormat.HASH_BYTES];
    private final byte[] storedHash = new byte[JournalFormat.HASH_BYTES];
    private UnsafeBuffer buffer;
    private int offset;
    private int length;
    private int cursor;
    private int commandsLeft;

    /** The current command, valid after {@link #nextCommand()} returned true. */
    private final JournalCommand command = new JournalCommand();

    public void wrap(UnsafeBuffer batch, int batchOffset, int batchLength) {
        this.buffer = batch;
        this.offset = batchOffset;
        this.length = batchLength;
    }

    /**
     * Checks framing, CRC, sequence and chain against the expected batch number, first command number
     * and previous chain hash; on {@link BatchCheck#VALID} the chain's head moves to this batch.
     * A chain of {@code null} skips the chain check (and leaves nothing to link).
     */
    public BatchCheck check(long expectedBatchNumber, long expectedFirstCommand, HashChain chain) {
        BatchCheck framing = checkFraming();
        if (framing != BatchCheck.VALID) {
            return framing;
        }
        int payloadLength = buffer.getInt(offset + JournalFormat.PAYLOAD_LENGTH_OFFSET);
        if (JournalBatchEncoder.crcOf(buffer, offset, payloadLength, crc) != buffer.getInt(offset + JournalFormat.CRC_OFFSET)) {
            return BatchCheck.CRC_MISMATCH;
        }
        if (batchNumber() != expectedBatchNumber || firstCommand() != expectedFirstCommand) {
            return BatchCheck.OUT_OF_SEQUENCE;
        }
        if (!commandsWellFormed()) {
            return BatchCheck.MALFORMED_COMMAND;
        }
        if (chain != null) {
            byte[] previous = chain.head();
            chain.link(buffer, offset, payloadLength, expectedHash, 0);
            buffer.getBytes(offset + JournalFormat.CHAIN_HASH_OFFSET, storedHash);
            if (!Arrays.equals(expectedHash, storedHash)) {
                chain.reset(previous);
                return BatchCheck.CHAIN_MISMATCH;
            }
        }
        rewind();
        return BatchCheck.VALID;
    }

    public long batchNumber() {
        return buffer.getLong(offset + JournalFormat.BATCH_NUMBER_OFFSET);
    }

    public long firstCommand() {
        return buffer.getLong(offset + JournalFormat.FIRST_COMMAND_OFFSET);
    }

    public int commandCount() {
        return buffer.getInt(offset + JournalFormat.COMMAND_COUNT_OFFSET);
    }

    /** The stored chain hash of this batch. */
    public byte[] chainHash() {
        byte[] hash = new byte[JournalFormat.HASH_BYTES];
        buffer.getBytes(offset + JournalFormat.CHAIN_HASH_OFFSET, hash);
        return hash;
    }

    /** Moves to the first command again. */
    public void rewind() {
        cursor = offset + JournalFormat.HEADER_BYTES;
        commandsLeft = commandCount();
    }

    /** Advances to the next command; false after the last. */
    public boolean nextCommand() {
        if (commandsLeft == 0) {
            return false;
        }
        command.wrap(buffer, cursor);
        cursor += JournalFormat.commandBytes(command.eventsLength(), command.tenantsLength(), command.sideDataLength());
        commandsLeft--;
        return true;
    }

    public JournalCommand command() {
        return command;
    }

    private BatchCheck checkFraming() {
        if (length < JournalFormat.HEADER_BYTES) {
            return BatchCheck.TRUNCATED;
        }
        if (buffer.getInt(offset + JournalFormat.MAGIC_OFFSET) != JournalFormat.MAGIC) {
            return BatchCheck.BAD_MAGIC;
        }
        if (buffer.getShort(offset + JournalFormat.VERSION_OFFSET) != JournalFormat.VERSION) {
            return BatchCheck.UNSUPPORTED_VERSION;
        }
        int payloadLength = buffer.getInt(offset + JournalFormat.PAYLOAD_LENGTH_OFFSET);
        if (payloadLength < 0 || (long) JournalFormat.HEADER_BYTES + payloadLength > length) {
            return BatchCheck.TRUNCATED;
        }
        return BatchCheck.VALID;
    }

    private boolean commandsWellFormed() {
        int end = offset + JournalFormat.HEADER_BYTES + buffer.getInt(offset + JournalFormat.PAYLOAD_LENGTH_OFFSET);
        int at = offset + JournalFormat.HEADER_BYTES;
        int count = commandCount();
        if (count < 0) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (at + JournalFormat.COMMAND_HEADER_BYTES > end) {
                return false;
            }
            command.wrap(buffer, at);
            if (!command.isWellFormed()) {
                return false;
            }
            long size = JournalFormat.commandBytes(command.eventsLength(), command.tenantsLength(), command.sideDataLength());
            if (at + size > end) {
                return false;
            }
            at += (int) size;
        }
        return at == end;
    }

    /** A flyweight over one command in a batch. */
    public static final class JournalCommand {
        private UnsafeBuffer buffer;
        private int offset;

        void wrap(UnsafeBuffer batch, int commandOffset) {
            this.buffer = batch;
            this.offset = commandOffset;
        }

        public CommandType type() {
            return CommandType.ofCode(buffer.getByte(offset + JournalFormat.COMMAND_TYPE_OFFSET) & 0xFF);
        }

        public int eventCount() {
            return buffer.getInt(offset + JournalFormat.COMMAND_EVENT_COUNT_OFFSET);
        }

        public long timestamp() {
            return buffer.getLong(offset + JournalFormat.COMMAND_TIMESTAMP_OFFSET);
        }

        public int eventsLength() {
            return buffer.getInt(offset + JournalFormat.COMMAND_EVENTS_LENGTH_OFFSET);
        }

        public int tenantsLength() {
            return buffer.getInt(offset + JournalFormat.COMMAND_TENANTS_LENGTH_OFFSET);
        }

        public int sideDataLength() {
            return buffer.getInt(offset + JournalFormat.COMMAND_SIDE_DATA_LENGTH_OFFSET);
        }

        public UnsafeBuffer buffer() {
            return buffer;
        }

        public int eventsOffset() {
            return offset + JournalFormat.COMMAND_HEADER_BYTES;
        }

        public int tenantsOffset() {
            return eventsOffset() + eventsLength();
        }

        public int sideDataOffset() {
            return tenantsOffset() + tenantsLength();
        }

        boolean isWellFormed() {
            CommandType type = type();
            int count = eventCount();
            if (type == null || count < 0 || count > com.fanzfinance.ledger.config.StateMachineConfig.BATCH_EVENTS_MAX) {
                return false;
            }
            if (eventsLength() != count * AccountLayout.SIZE || sideDataLength() < 0
                || sideDataLength() > JournalFormat.SIDE_DATA_MAX_BYTES) {
                return false;
            }
            return tenantsWellFormed(type, count) && recordsWellFormed(type, count);
        }

        /** Accounts: one tenant per account, then the scope; transfers: the scope; the rest: none. */
        private boolean tenantsWellFormed(CommandType type, int count) {
            int length = tenantsLength();
            int scopeBytes = type == CommandType.CREATE_ACCOUNTS ? length - count * Integer.BYTES : length;
            return switch (type) {
                case CREATE_ACCOUNTS, CREATE_TRANSFERS -> scopeBytes >= 0 && scopeBytes % Integer.BYTES == 0
                    && scopeBytes <= JournalFormat.TENANT_SCOPE_MAX * Integer.BYTES;
                case TICK, SET_LIMITS, SET_TENANT -> length == 0;
            };
        }

        private boolean recordsWellFormed(CommandType type, int count) {
            return switch (type) {
                case CREATE_ACCOUNTS, CREATE_TRANSFERS -> true;
                case TICK -> count == 0;
                case SET_LIMITS -> count == 1 && com.fanzfinance.ledger.command.LedgerLimits.decode(buffer, eventsOffset()) != null;
                case SET_TENANT -> count == 1
                    && com.fanzfinance.ledger.command.TenantSettings.decode(buffer, eventsOffset()) != null;
            };
        }
    }
}
