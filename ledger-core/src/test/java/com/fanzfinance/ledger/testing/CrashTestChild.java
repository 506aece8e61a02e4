package com.fanzfinance.ledger.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.ledger.journal.Durability;

/**
 * The process the crash test kills: runs a durable engine and speaks a line protocol on stdin/stdout. Its arguments:
 * the data directory, the durability, and optionally {@code scrambled}: transfer {@code n}'s id then looks random
 * ({@link #transferId}), so that a restart from a snapshot rebuilds the id index as for random ids.
 * <ul>
 *   <li>{@code T first count}: submit transfers {@code first … first+count-1} (id and fields follow from the number);
 *       answered, once durable and applied, with {@code A first count created exists other}</li>
 *   <li>{@code C first count}: how many of those ids are missing: {@code C first count missing}</li>
 *   <li>{@code S}: takes a snapshot and answers {@code S ok} once it is written (automatic ones are written back paced,
 *       and rarely finish before the kill)</li>
 *   <li>{@code V}: checks every account's balances against the sum of its transfers, read once in timestamp order,
 *       and that debits equal credits: {@code V ok transfers} or {@code V fail reason}</li>
 *   <li>{@code I}: the same through each account's own index ({@code accountTransfers}, page by page) — slower, so
 *       the test asks it once, after the last restart: {@code I ok transfers} or {@code I fail reason}</li>
 * </ul>
 * It starts by printing {@code READY commandsReplayed snapshotUsed}. Submissions are pipelined: several may be in
 * flight when the process is killed.
 */
public final class CrashTestChild {
    public static final int ACCOUNTS = 10;

    private CrashTestChild() {
    }

    /** Whether transfer {@code n}'s id is {@code n} or scrambled (a bijection that makes the ids look random). */
    private static boolean scrambled;

    /** The id of transfer {@code n}: {@code n}, or with scrambled ids {@code n} times an odd constant. */
    public static Uint128 transferId(long n) {
        return Uint128.of(scrambled ? n * 0x9E37_79B9_7F4A_7C15L : n);
    }

    /** Transfer {@code n}, as child and test agree on it. */
    public static Transfer transfer(long n) {
        long debit = 1 + n % ACCOUNTS;
        long credit = 1 + (n + 3) % ACCOUNTS;
        return Transfer.of(transferId(n), Uint128.of(debit), Uint128.of(credit), 1 + n % 7, 1, 1);
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        scrambled = args.length > 2 && args[2].equals("scrambled");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data).withDurability(durability).withTiming(60_000, 5_000)
            .withSnapshots(32L << 20, 2));

        createAccounts(engine);
        ExecutorService waiters = Executors.newFixedThreadPool(4);
        out.println("READY " + engine.recovery().commandsReplayed() + " " + engine.recovery().snapshotUsed());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "T" -> submit(engine, Long.parseLong(parts[1]), Integer.parseInt(parts[2]), waiters, out);
                case "C" -> out.println("C " + parts[1] + " " + parts[2] + " "
                    + missing(engine, Long.parseLong(parts[1]), Integer.parseInt(parts[2])));
                case "S" -> {
                    LedgerEngine.join(engine.snapshot());
                    out.println("S ok");
                }
                case "V" -> out.println(engine.read(CrashTestChild::verify));
                case "I" -> out.println(engine.read(CrashTestChild::verifyIndexes));
                default -> out.println("? " + line);
            }
        }
        engine.close(false);
    }

    private static void createAccounts(LedgerEngine engine) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[ACCOUNTS * 128]);
        for (int i = 0; i < ACCOUNTS; i++) {
            Records.encode(Account.of(Uint128.of(i + 1), 1, 1), records, i * 128);
        }
        UnsafeBuffer results = new UnsafeBuffer(new byte[ACCOUNTS * 16]);
        LedgerEngine.join(engine.submitAccounts(records, 0, ACCOUNTS, null, 0, null, 0, 0, results, 0));
    }

    private static void submit(LedgerEngine engine, long first, int count, ExecutorService waiters, PrintStream out) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            Records.encode(transfer(first + i), records, i * 128);
        }
        UnsafeBuffer results = new UnsafeBuffer(new byte[count * 16]);
        CompletableFuture<CommandOutcome> done = engine.submitTransfers(records, 0, count, null, 0, 0, results, 0);
        waiters.execute(() -> {
            LedgerEngine.join(done);
            int created = 0;
            int exists = 0;
            for (int i = 0; i < count; i++) {
                long status = results.getInt(i * 16 + ResultLayout.STATUS) & 0xFFFF_FFFFL;
                if (status == CreateTransferStatus.CREATED.code()) {
                    created++;
                } else if (status == CreateTransferStatus.EXISTS.code()) {
                    exists++;
                }
            }
            synchronized (out) {
                out.println("A " + first + " " + count + " " + created + " " + exists + " " + (count - created - exists));
            }
        });
    }

    private static int missing(LedgerEngine engine, long first, int count) {
        return engine.read(machine -> {
            int absent = 0;
            for (int i = 0; i < count; i++) {
                if (machine.lookupTransfer(transferId(first + i)) == null) {
                    absent++;
                }
            }
            return absent;
        });
    }

    private static String verify(StateMachine machine) {
        int accounts = machine.accountCount();
        Map<Uint128, Integer> slots = new HashMap<>();
        for (int slot = 0; slot < accounts; slot++) {
            slots.put(machine.accountAt(slot).id(), slot);
        }
        long[] debited = new long[accounts];
        long[] credited = new long[accounts];
        for (long sequence = 0; sequence < machine.transferCount(); sequence++) {
            Transfer t = machine.transferAt(sequence);
            debited[slots.get(t.debitAccountId())] += t.amount();
            credited[slots.get(t.creditAccountId())] += t.amount();
        }
        return balancesMatch(machine, debited, credited, "V", "transfers");
    }

    private static String verifyIndexes(StateMachine machine) {
        int accounts = machine.accountCount();
        long[] debited = new long[accounts];
        long[] credited = new long[accounts];
        for (int slot = 0; slot < accounts; slot++) {
            Uint128 id = machine.accountAt(slot).id();
            AccountFilter filter = AccountFilter.of(id, AccountFilter.LIMIT_MAX);
            long after = 0;
            while (true) {
                List<Transfer> page = machine.accountTransfers(filter.withTimestamps(after, 0));
                for (Transfer t : page) {
                    if (t.debitAccountId().equals(id)) {
                        debited[slot] += t.amount();
                    } else {
                        credited[slot] += t.amount();
                    }
                    after = t.timestamp() + 1;
                }
                if (page.size() < AccountFilter.LIMIT_MAX) {
                    break;
                }
            }
        }
        return balancesMatch(machine, debited, credited, "I", "indexed transfers");
    }

    /** Each account's posted balances against the sums of its {@code what}, then debits against credits. */
    private static String balancesMatch(StateMachine machine, long[] debited, long[] credited, String answer,
                                        String what) {
        long debits = 0;
        long credits = 0;
        for (int slot = 0; slot < debited.length; slot++) {
            Account account = machine.accountAt(slot);
            if (debited[slot] != account.debitsPosted() || credited[slot] != account.creditsPosted()) {
                return answer + " fail account " + account.id() + " balances " + account.debitsPosted() + "/"
                    + account.creditsPosted() + " but its " + what + " sum to " + debited[slot] + "/" + credited[slot];
            }
            debits += account.debitsPosted();
            credits += account.creditsPosted();
        }
        if (debits != credits) {
            return answer + " fail debits " + debits + " != credits " + credits;
        }
        return answer + " ok " + machine.transferCount();
    }
}
