package com.fanzfinance.server.client;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.client.AccountDetails;
import com.fanzfinance.ledger.client.EncodedTransfers;
import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.LedgerProblemException;
import com.fanzfinance.ledger.client.NewAccount;
import com.fanzfinance.ledger.client.NewEntry;
import com.fanzfinance.ledger.client.NewTransfer;
import com.fanzfinance.ledger.client.Page;
import com.fanzfinance.ledger.client.TransferDetails;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountBalance;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.server.TestServer;

/** The Java client against a real server: every call, both transports, automatic batching, tenants. */
class LedgerClientEndToEndTest {
    private static final String TENANT = "client-e2e";
    private static final Pattern TRANSFER_POSTS =
        Pattern.compile("fanz_http_requests_seconds_count\\{method=\"POST\",route=\"/v1/transfers\",status=\"200\"} (\\S+)");

    @TempDir
    static Path data;
    static TestServer server;
    static LedgerClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(data);
        admin = LedgerClient.builder(server.base(), ADMIN_KEY).build();
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    /** Ids per test ({@code kind}) so the tests share one ledger without meeting. */
    private static Uint128 id(int kind, long n) {
        return Uint128.of(0x2000L + kind, n);
    }

    private static void createAccounts(Account... accounts) {
        List<NewAccount> events = new ArrayList<>();
        for (Account account : accounts) {
            events.add(NewAccount.of(account).inTenant(TENANT));
        }
        assertThat(admin.createAccountsWithMetadata(events)).extracting(CreateResult::status)
            .containsOnly(CreateAccountStatus.CREATED);
    }

    private static Account account(Uint128 id) {
        return admin.lookupAccount(id).orElseThrow();
    }

    @Test
    void accountsAndTransfersAreCreatedAndReadBackWithTenantAndMetadata() {
        Uint128 payer = id(1, 1);
        Uint128 creator = id(1, 2);
        Account payerAccount = Account.of(payer, 840, 7).withUserData(id(1, 99), -1L, -1)
            .withFlags(AccountFlags.HISTORY);
        List<CreateResult<CreateAccountStatus>> created = admin.createAccountsWithMetadata(List.of(
            NewAccount.of(payerAccount).inTenant("girlfanz").withMetadata("{\"fan\": \"f-1\", \"tags\": [1, 2]}"),
            NewAccount.of(Account.of(creator, 840, 8).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))
                .inTenant("girlfanz")));
        assertThat(created).extracting(CreateResult::index, CreateResult::status).containsExactly(
            tuple(0, CreateAccountStatus.CREATED),
            tuple(1, CreateAccountStatus.CREATED));
        assertThat(created.get(1).timestamp()).isGreaterThan(created.get(0).timestamp()).isPositive();

        AccountDetails details = admin.lookupAccountDetails(payer).orElseThrow();
        assertThat(details.account()).isEqualTo(payerAccount.withTimestamp(created.get(0).timestamp()));
        assertThat(details.tenant()).isEqualTo("girlfanz");
        assertThat(details.metadata()).isEqualTo("{\"fan\":\"f-1\",\"tags\":[1,2]}");

        List<CreateResult<CreateAccountStatus>> again = admin.createAccountsWithMetadata(
            List.of(NewAccount.of(payerAccount).inTenant("girlfanz")));
        assertThat(again.get(0).status()).isEqualTo(CreateAccountStatus.EXISTS);
        assertThat(LedgerClient.isCreatedOrExists(again.get(0))).isTrue();

        Transfer tip = Transfer.of(id(1, 10), payer, creator, 2500, 840, 9).withUserData(Uint128.ZERO, -2L, 0);
        assertThat(admin.createTransfersWithMetadata(List.of(NewTransfer.of(tip).withMetadata("{\"order\":\"o-1\"}"))))
            .extracting(CreateResult::status).containsExactly(CreateTransferStatus.CREATED);
        Transfer overdraw = Transfer.of(id(1, 11), creator, payer, 2501, 840, 9);
        Transfer refund = Transfer.of(id(1, 12), creator, payer, 500, 840, 9);
        assertThat(admin.createTransfers(List.of(overdraw, refund))).extracting(CreateResult::status)
            .containsExactly(CreateTransferStatus.EXCEEDS_CREDITS, CreateTransferStatus.CREATED);

        TransferDetails recorded = admin.lookupTransferDetails(tip.id()).orElseThrow();
        assertThat(recorded.transfer().amount()).isEqualTo(2500);
        assertThat(recorded.transfer().userData64()).isEqualTo(-2L);
        assertThat(recorded.transfer().pendingStatus()).isEqualTo(PendingStatus.NONE);
        assertThat(recorded.transfer().timestamp()).isPositive();
        assertThat(recorded.metadata()).isEqualTo("{\"order\":\"o-1\"}");
        assertThat(admin.lookupTransferDetails(refund.id()).orElseThrow().metadata()).isNull();

        assertThat(account(payer).debitsPosted()).isEqualTo(2500);
        assertThat(account(payer).creditsPosted()).isEqualTo(500);
        assertThat(account(creator).creditsPosted()).isEqualTo(2500);
        assertThat(account(creator).debitsPosted()).isEqualTo(500);
        assertThat(admin.lookupTransfer(overdraw.id())).isEmpty();
        assertThat(admin.lookupAccount(id(1, 404))).isEmpty();
    }

    @Test
    void pendingTransfersArePostedInPartOrInFullAndVoided() {
        Uint128 debit = id(2, 1);
        Uint128 credit = id(2, 2);
        createAccounts(Account.of(debit, 1, 1), Account.of(credit, 1, 1));
        Transfer partly = Transfer.of(id(2, 10), debit, credit, 1000, 1, 1).withFlags(TransferFlags.PENDING)
            .withTimeout(3600);
        Transfer voided = Transfer.of(id(2, 11), debit, credit, 300, 1, 1).withFlags(TransferFlags.PENDING);
        Transfer fully = Transfer.of(id(2, 12), debit, credit, 200, 1, 1).withFlags(TransferFlags.PENDING);
        assertThat(admin.createTransfers(List.of(partly, voided, fully))).extracting(CreateResult::status)
            .containsOnly(CreateTransferStatus.CREATED);
        assertThat(account(debit).debitsPending()).isEqualTo(1500);

        List<CreateResult<CreateTransferStatus>> resolved = admin.createTransfers(List.of(
            Transfer.resolving(id(2, 20), partly.id(), 600, true),
            Transfer.resolving(id(2, 21), voided.id(), 0, false),
            Transfer.resolving(id(2, 22), fully.id(), Long.MAX_VALUE, true)));

        assertThat(resolved).extracting(CreateResult::status).containsOnly(CreateTransferStatus.CREATED);
        assertThat(admin.lookupTransfer(partly.id()).orElseThrow().pendingStatus()).isEqualTo(PendingStatus.POSTED);
        assertThat(admin.lookupTransfer(voided.id()).orElseThrow().pendingStatus()).isEqualTo(PendingStatus.VOIDED);
        assertThat(admin.lookupTransfer(fully.id()).orElseThrow().pendingStatus()).isEqualTo(PendingStatus.POSTED);
        Transfer post = admin.lookupTransfer(id(2, 20)).orElseThrow();
        assertThat(post.amount()).isEqualTo(600);
        assertThat(post.ledger()).as("inherited from the pending transfer").isEqualTo(1);
        assertThat(admin.lookupTransfer(id(2, 22)).orElseThrow().amount()).as("the full pending amount").isEqualTo(200);
        Account after = account(debit);
        assertThat(after.debitsPending()).isZero();
        assertThat(after.debitsPosted()).isEqualTo(800);
        assertThat(admin.createTransfers(List.of(Transfer.resolving(id(2, 23), partly.id(), 0, true))))
            .extracting(CreateResult::status).containsExactly(CreateTransferStatus.PENDING_TRANSFER_ALREADY_POSTED);
    }

    @Test
    void listingsPageThroughTransfersAndBalances() {
        Uint128 spender = id(3, 1);
        Uint128 shop = id(3, 2);
        createAccounts(Account.of(spender, 1, 1).withFlags(AccountFlags.HISTORY), Account.of(shop, 1, 1));
        List<Transfer> transfers = new ArrayList<>();
        for (int n = 1; n <= 25; n++) {
            transfers.add(n % 5 == 0 ? Transfer.of(id(3, 100 + n), shop, spender, n, 1, 1)
                : Transfer.of(id(3, 100 + n), spender, shop, n, 1, 1));
        }
        assertThat(admin.createTransfers(transfers)).extracting(CreateResult::status)
            .containsOnly(CreateTransferStatus.CREATED);
        List<Uint128> ids = transfers.stream().map(Transfer::id).toList();

        AccountFilter tenAPage = AccountFilter.of(spender, 10);
        Page<Transfer> first = admin.accountTransfers(tenAPage);
        Page<Transfer> second = admin.accountTransfers(tenAPage, first.next());
        Page<Transfer> third = admin.accountTransfers(tenAPage, second.next());
        assertThat(first.items()).extracting(Transfer::id).isEqualTo(ids.subList(0, 10));
        assertThat(second.items()).extracting(Transfer::id).isEqualTo(ids.subList(10, 20));
        assertThat(third.items()).extracting(Transfer::id).isEqualTo(ids.subList(20, 25));
        assertThat(third.hasNext()).isFalse();

        assertThat(admin.allAccountTransfers(AccountFilter.of(spender, 4)).map(Transfer::id).toList()).isEqualTo(ids);
        List<Uint128> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        assertThat(admin.allAccountTransfers(AccountFilter.of(spender, 7).withReversed(true)).map(Transfer::id).toList())
            .isEqualTo(reversed);
        assertThat(admin.allAccountTransfers(AccountFilter.of(spender, 3).withDirections(false, true)).map(Transfer::amount)
            .toList()).containsExactly(5L, 10L, 15L, 20L, 25L);

        List<AccountBalance> balances = admin.allAccountBalances(AccountFilter.of(spender, 6)).toList();
        assertThat(balances).hasSize(25);
        assertThat(balances).extracting(AccountBalance::timestamp).isSorted().doesNotHaveDuplicates();
        Account spent = account(spender);
        AccountBalance last = balances.get(24);
        assertThat(last.debitsPosted()).isEqualTo(spent.debitsPosted()).isEqualTo(325 - 75);
        assertThat(last.creditsPosted()).isEqualTo(spent.creditsPosted()).isEqualTo(75);
        assertThat(admin.accountBalances(AccountFilter.of(spender, 25)).items()).isEqualTo(balances);

        assertThatThrownBy(() -> admin.accountTransfers(AccountFilter.of(id(3, 404), 10)))
            .isInstanceOfSatisfying(LedgerProblemException.class, problem -> assertThat(problem.status()).isEqualTo(404));
    }

    @Test
    void journalEntriesAreAtomicIdempotentAndNameTheFailedPosting() {
        Uint128 cash = id(4, 1);
        Uint128 revenue = id(4, 2);
        Uint128 fees = id(4, 3);
        Uint128 limited = id(4, 4);
        createAccounts(Account.of(cash, 1, 1), Account.of(revenue, 1, 1), Account.of(fees, 1, 1),
            Account.of(limited, 1, 1).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        JournalEntry sale = JournalEntry.of(id(4, 100), 1, 3, List.of(Posting.debit(cash, 1000),
            Posting.credit(revenue, 800), Posting.credit(fees, 200)));
        JournalEntry overdraft = JournalEntry.of(id(4, 101), 1, 3, List.of(Posting.debit(limited, 50),
            Posting.credit(revenue, 50)));

        List<JournalEntryResult> results = admin.createEntriesWithMetadata(List.of(
            NewEntry.of(sale).withMetadata("{\"sale\":7}"), NewEntry.of(overdraft)));

        assertThat(results.get(0).status()).isEqualTo(CreateTransferStatus.CREATED);
        assertThat(results.get(0).id()).isEqualTo(sale.id());
        assertThat(results.get(0).failedPosting()).isEqualTo(-1);
        assertThat(results.get(1).status()).isEqualTo(CreateTransferStatus.EXCEEDS_CREDITS);
        assertThat(results.get(1).index()).isEqualTo(1);
        assertThat(results.get(1).failedPosting()).isZero();
        assertThat(account(cash).debitsPosted()).isEqualTo(1000);
        assertThat(account(revenue).creditsPosted()).isEqualTo(800);
        assertThat(account(fees).creditsPosted()).isEqualTo(200);
        assertThat(account(limited).debitsPosted()).isZero();
        assertThat(admin.lookupTransferDetails(sale.id()).orElseThrow().metadata()).isEqualTo("{\"sale\":7}");

        JournalEntryResult again = admin.createEntries(List.of(sale)).get(0);
        assertThat(again.status()).isEqualTo(CreateTransferStatus.EXISTS);
        assertThat(LedgerClient.isCreatedOrExists(again)).isTrue();
        assertThat(account(cash).debitsPosted()).as("nothing applied twice").isEqualTo(1000);
    }

    @Test
    void aThousandConcurrentSingleTransfersAreBatchedAllCreatedAndTheBalancesAddUp() throws Exception {
        Uint128 source = id(5, 0);
        int sinks = 10;
        List<Account> accounts = new ArrayList<>(List.of(Account.of(source, 1, 1)));
        for (int s = 1; s <= sinks; s++) {
            accounts.add(Account.of(id(5, s), 1, 1));
        }
        createAccounts(accounts.toArray(Account[]::new));
        double requestsBefore = transferPostsSoFar();

        List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = submitFromManyThreads(1000, n ->
            Transfer.of(id(5, 1000 + n), source, id(5, 1 + n % sinks), n + 1, 1, 1));

        Set<Long> timestamps = new HashSet<>();
        for (CompletableFuture<CreateResult<CreateTransferStatus>> future : futures) {
            CreateResult<CreateTransferStatus> result = future.get(60, TimeUnit.SECONDS);
            assertThat(result.status()).isEqualTo(CreateTransferStatus.CREATED);
            assertThat(result.index()).isZero();
            timestamps.add(result.timestamp());
        }
        assertThat(timestamps).as("each caller got its own transfer's timestamp").hasSize(1000);
        assertThat(account(source).debitsPosted()).isEqualTo(1000L * 1001 / 2);
        long sinksTotal = 0;
        for (int s = 1; s <= sinks; s++) {
            long expected = 0;
            for (int n = 0; n < 1000; n++) {
                expected += n % sinks == s - 1 ? n + 1 : 0;
            }
            Account sink = account(id(5, s));
            assertThat(sink.creditsPosted()).as("sink %d", s).isEqualTo(expected);
            sinksTotal += sink.creditsPosted();
        }
        assertThat(sinksTotal).isEqualTo(account(source).debitsPosted());
        assertThat(admin.allAccountTransfers(AccountFilter.of(source, 300)).count()).isEqualTo(1000);
        double requests = transferPostsSoFar() - requestsBefore;
        assertThat(requests).as("1000 events coalesced into few requests").isBetween(1.0, 200.0);
    }

    @Test
    void aTenantKeyActsOnlyWithinItsTenant() throws Exception {
        String girlKey = server.createKey("client-girl", "[\"ledger:write\",\"ledger:read\"]", "[\"girlfanz\"]");
        Uint128 girlA = id(6, 1);
        Uint128 girlB = id(6, 2);
        Uint128 pup = id(6, 3);
        assertThat(admin.createAccountsWithMetadata(List.of(NewAccount.of(Account.of(pup, 1, 1)).inTenant("pupfanz"))))
            .extracting(CreateResult::status).containsExactly(CreateAccountStatus.CREATED);
        try (LedgerClient girl = LedgerClient.builder(server.base(), girlKey).build()) {
            assertThat(girl.createAccounts(List.of(Account.of(girlA, 1, 1), Account.of(girlB, 1, 1))))
                .extracting(CreateResult::status).containsOnly(CreateAccountStatus.CREATED);
            AccountDetails own = girl.lookupAccountDetails(girlA).orElseThrow();
            assertThat(own.tenant()).as("the key's own tenant, by slug").isEqualTo("girlfanz");
            assertThat(own.toString()).as("the client's view shows the slug, not a meaningless 0")
                .contains("tenant=girlfanz").doesNotContain("tenant=0");
            assertThat(admin.lookupAccountDetails(pup).orElseThrow().tenant()).as("as the admin key sees it")
                .isEqualTo("pupfanz");
            assertThat(girl.lookupAccount(pup)).as("another tenant's account is invisible").isEmpty();
            assertThatThrownBy(() -> girl.accountTransfers(AccountFilter.of(pup, 10)))
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> assertThat(problem.status()).isEqualTo(404));

            assertThatThrownBy(() -> girl.createAccountsWithMetadata(List.of(
                NewAccount.of(Account.of(id(6, 4), 1, 1)), NewAccount.of(Account.of(id(6, 5), 1, 1)).inTenant("pupfanz"))))
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(403);
                    assertThat(problem.typeSuffix()).isEqualTo("forbidden");
                    assertThat(problem.pointer()).isEqualTo("/accounts/1/tenant");
                    assertThat(problem.eventIndex()).hasValue(1);
                    assertThat(problem.requestId()).isNotBlank();
                });
            assertThat(admin.lookupAccount(id(6, 4))).as("nothing of a refused request is applied").isEmpty();

            Transfer intoPup = Transfer.of(id(6, 10), girlA, pup, 5, 1, 1);
            assertThatThrownBy(() -> girl.createTransfers(List.of(Transfer.of(id(6, 11), girlA, girlB, 1, 1, 1), intoPup)))
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(403);
                    assertThat(problem.eventIndex()).hasValue(1);
                });
            assertThat(admin.lookupTransfer(id(6, 11))).isEmpty();

            List<CompletableFuture<CreateResult<CreateTransferStatus>>> singles = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                singles.add(girl.createTransfer(n == 7 ? intoPup : Transfer.of(id(6, 100 + n), girlA, girlB, 1, 1, 1)));
            }
            for (int n = 0; n < 20; n++) {
                if (n == 7) {
                    CompletableFuture<CreateResult<CreateTransferStatus>> refused = singles.get(n);
                    assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).cause()
                        .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                            assertThat(problem.status()).isEqualTo(403);
                            assertThat(problem.eventIndex()).hasValue(0);
                        });
                } else {
                    assertThat(singles.get(n).get(30, TimeUnit.SECONDS).status()).isEqualTo(CreateTransferStatus.CREATED);
                }
            }
            assertThat(account(girlB).creditsPosted()).isEqualTo(19);
            assertThat(admin.lookupTransfer(intoPup.id())).isEmpty();
        }
    }

    @Test
    void batchesEncodedAheadAreCreatedOnceInEitherFormat() {
        Uint128 fan = id(9, 1);
        Uint128 creator = id(9, 2);
        createAccounts(Account.of(fan, 840, 1), Account.of(creator, 840, 1).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        EncodedTransfers binary = EncodedTransfers.binary(List.of(Transfer.of(id(9, 10), fan, creator, 700, 840, 1),
            Transfer.of(id(9, 11), creator, fan, 5_000, 840, 1)));
        EncodedTransfers json = EncodedTransfers.json(List.of(
            NewTransfer.of(Transfer.of(id(9, 12), fan, creator, 300, 840, 1)).withMetadata("{\"order\":\"A-9\"}")));

        assertThat(admin.createTransfers(binary)).extracting(CreateResult::index, CreateResult::status).containsExactly(
            tuple(0, CreateTransferStatus.CREATED), tuple(1, CreateTransferStatus.EXCEEDS_CREDITS));
        assertThat(admin.createTransfersAsync(json).join()).extracting(CreateResult::status)
            .containsExactly(CreateTransferStatus.CREATED);
        // Sent again, the same bytes: nothing is created twice, and the id that failed transiently stays failed.
        assertThat(admin.createTransfers(binary)).extracting(CreateResult::status)
            .containsExactly(CreateTransferStatus.EXISTS, CreateTransferStatus.ID_ALREADY_FAILED);
        assertThat(admin.createTransfers(json)).extracting(CreateResult::status).containsExactly(CreateTransferStatus.EXISTS);

        assertThat(account(creator).creditsPosted()).isEqualTo(1_000);
        assertThat(account(fan).debitsPosted()).isEqualTo(1_000);
        assertThat(admin.lookupTransferDetails(id(9, 12)).orElseThrow().metadata()).isEqualTo("{\"order\":\"A-9\"}");
        assertThat(admin.lookupTransfer(id(9, 11))).isEmpty();
    }

    @Test
    void binaryAndJsonTransfersGetTheSameStatuses() {
        createAccounts(Account.of(id(7, 1), 1, 1),
            Account.of(id(7, 2), 1, 1).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS), Account.of(id(7, 3), 2, 1));
        try (LedgerClient json = LedgerClient.builder(server.base(), ADMIN_KEY).binaryTransfers(false).build()) {
            List<CreateTransferStatus> binaryStatuses = statuses(admin, 1000);
            List<CreateTransferStatus> jsonStatuses = statuses(json, 2000);

            assertThat(jsonStatuses).isEqualTo(binaryStatuses);
            assertThat(binaryStatuses).containsExactly(CreateTransferStatus.CREATED, CreateTransferStatus.EXISTS,
                CreateTransferStatus.EXISTS_WITH_DIFFERENT_AMOUNT, CreateTransferStatus.ACCOUNTS_MUST_BE_DIFFERENT,
                CreateTransferStatus.DEBIT_ACCOUNT_NOT_FOUND, CreateTransferStatus.EXCEEDS_CREDITS,
                CreateTransferStatus.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER, CreateTransferStatus.LINKED_EVENT_FAILED,
                CreateTransferStatus.PENDING_ID_MUST_NOT_BE_ZERO, CreateTransferStatus.CREATED,
                CreateTransferStatus.PENDING_TRANSFER_NOT_FOUND);
        }
    }

    /** The same mix of outcomes, with ids from {@code base}, through {@code client}. */
    private static List<CreateTransferStatus> statuses(LedgerClient client, long base) {
        Uint128 open = id(7, 1);
        Uint128 capped = id(7, 2);
        Uint128 otherLedger = id(7, 3);
        List<Transfer> transfers = List.of(
            Transfer.of(id(7, base), open, capped, 10, 1, 1),
            Transfer.of(id(7, base), open, capped, 10, 1, 1),
            Transfer.of(id(7, base), open, capped, 11, 1, 1),
            Transfer.of(id(7, base + 1), open, open, 10, 1, 1),
            Transfer.of(id(7, base + 2), id(7, 404), open, 10, 1, 1),
            Transfer.of(id(7, base + 3), capped, open, 1_000_000, 1, 1),
            Transfer.of(id(7, base + 4), open, otherLedger, 10, 1, 1),
            Transfer.of(id(7, base + 5), open, capped, 10, 1, 1).withFlags(TransferFlags.LINKED),
            Transfer.resolving(id(7, base + 6), Uint128.ZERO, 0, true),
            Transfer.of(id(7, base + 7), open, capped, 1, 1, 1).withFlags(TransferFlags.PENDING),
            Transfer.resolving(id(7, base + 8), id(7, 99_999), 0, false));
        return client.createTransfers(transfers).stream().map(CreateResult::status).toList();
    }

    @Test
    void anUnknownKeyIsAProblemWithItsRequestId() {
        try (LedgerClient stranger = LedgerClient.builder(server.base(), "fzk_not_a_real_key").build()) {
            assertThatThrownBy(() -> stranger.lookupAccount(id(8, 1)))
                .isInstanceOfSatisfying(LedgerProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(401);
                    assertThat(problem.typeSuffix()).isEqualTo("unauthorized");
                    assertThat(problem.requestId()).isNotBlank();
                });
        }
    }

    private static List<CompletableFuture<CreateResult<CreateTransferStatus>>> submitFromManyThreads(int count,
            IntFunction<Transfer> transferOf) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Callable<CompletableFuture<CreateResult<CreateTransferStatus>>>> calls = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                Transfer transfer = transferOf.apply(n);
                calls.add(() -> admin.createTransfer(transfer));
            }
            List<CompletableFuture<CreateResult<CreateTransferStatus>>> futures = new ArrayList<>();
            for (Future<CompletableFuture<CreateResult<CreateTransferStatus>>> submitted : callers.invokeAll(calls)) {
                futures.add(submitted.get());
            }
            return futures;
        } finally {
            callers.shutdownNow();
        }
    }

    /** Successful POSTs to /v1/transfers the server has counted. */
    private static double transferPostsSoFar() {
        Matcher matcher = TRANSFER_POSTS.matcher(server.get("/metrics", null).text());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
