package com.fanzfinance.ledger.journal;

/**
 * The bytes of one journal entry: a batch of commands as one Chronicle Queue excerpt, little-endian.
 *
 * <pre>
 * batch header (72 bytes)
 *   0  u32  magic "FZJ1"
 *   4  u16  version (1)            6  u16  reserved (0)
 *   8  u64  batch number (0, 1, 2, … with no gaps)
 *  16  u64  number of the batch's first command (commands are numbered from 0 with no gaps)
 *  24  u32  command count          28  u32  payload length in bytes
 *  32  u32  CRC-32C of bytes 0..31 and of the payload
 *  36  u32  reserved (0)
 *  40  32B  chain hash = SHA-256(previous batch's chain hash ‖ bytes 0..39 ‖ payload);
 *           the first batch chains from 32 zero bytes
 * payload: commands, each
 *   0  u8   type ({@link CommandType})  1  u8 reserved  2  u16 reserved
 *   4  u32  event count
 *   8  u64  timestamp (the last event's; see Sequencer)
 *  16  u32  events length (count × 128)
 *  20  u32  tenants length: count × 4 for create_accounts (each account's tenant); for create_transfers
 *           the tenants whose accounts the command may touch, × 4 (0: any)
 *  24  u32  side data length (opaque to the engine: metadata the service journals and projects)
 *  28  u32  reserved
 *  32  events, tenants, side data, then zero padding to a multiple of 8
 * </pre>
 *
 * The CRC catches torn and corrupted writes cheaply; the hash chain makes any change, removal or
 * reordering of a batch detectable, and its head hash identifies the whole journal.
 */
public final class JournalFormat {
    public static final int MAGIC = 0x314A_5A46; // "FZJ1" little-endian
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int BATCH_NUMBER_OFFSET = 8;
    public static final int FIRST_COMMAND_OFFSET = 16;
    public static final int COMMAND_COUNT_OFFSET = 24;
    public static final int PAYLOAD_LENGTH_OFFSET = 28;
    public static final int CRC_OFFSET = 32;
    public static final int CHAIN_HASH_OFFSET = 40;
    public static final int HASH_BYTES = 32;
    public static final int HEADER_BYTES = CHAIN_HASH_OFFSET + HASH_BYTES;

    public static final int COMMAND_TYPE_OFFSET = 0;
    public static final int COMMAND_EVENT_COUNT_OFFSET = 4;
    public static final int COMMAND_TIMESTAMP_OFFSET = 8;
    public static final int COMMAND_EVENTS_LENGTH_OFFSET = 16;
    public static final int COMMAND_TENANTS_LENGTH_OFFSET = 20;
    public static final int COMMAND_SIDE_DATA_LENGTH_OFFSET = 24;
    public static final int COMMAND_HEADER_BYTES = 32;

    /** The most tenants a transfer command may be scoped to. */
    public static final int TENANT_SCOPE_MAX = 1024;

    /** The most side data one command may carry. */
    public static final int SIDE_DATA_MAX_BYTES = 4 * 1024 * 1024;

    private JournalFormat() {
    }

    /** The bytes a command takes in a batch payload, padding included. */
    public static int commandBytes(int eventsLength, int tenantsLength, int sideDataLength) {
        int unpadded = COMMAND_HEADER_BYTES + eventsLength + tenantsLength + sideDataLength;
        return (unpadded + 7) & ~7;
    }
}
