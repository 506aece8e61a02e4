package com.fanzfinance.server;

import static com.fanzfinance.server.Bodies.account;
import static com.fanzfinance.server.Bodies.accounts;
import static com.fanzfinance.server.Bodies.id;
import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At most 16 listings of transfers (pages that may carry 32 MiB of metadata each) are answered at once;
 * more are refused with 503 {@code ledger-busy} instead of piling up pages in memory, and a refused or
 * finished listing gives its place back. The ledger's thread is held on a latch so that every listing
 * of the test is in flight at the same time.
 */
class ListingGateEndToEndTest {
    @Test
    void listingsBeyondTheBoundAreRefusedAndThePlacesComeBack(@TempDir Path data) throws Exception {
        String account = id(98, 1);
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.postJson("/v1/accounts", ADMIN_KEY, accounts(account(account, 1, null))).status())
                .isEqualTo(200);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> held = server.server().engine().query(machine -> {
                awaitQuietly(release);
                return null;
            });
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> listings = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                listings.add(http.sendAsync(server.request("/v1/accounts/" + account + "/transfers", ADMIN_KEY).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()));
            }
            awaitRefusals(listings, 4);
            release.countDown();
            held.get(30, TimeUnit.SECONDS);
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> listing : listings) {
                statuses.add(listing.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(16);
            assertThat(statuses).filteredOn(status -> status == 503).hasSize(4);
            assertThat(listings).filteredOn(listing -> listing.join().statusCode() == 503)
                .allSatisfy(listing -> assertThat(listing.join().body()).contains("/problems/ledger-busy"));
            for (int i = 0; i < 20; i++) {
                assertThat(server.get("/v1/accounts/" + account + "/transfers", ADMIN_KEY).status()).isEqualTo(200);
            }
        }
    }

    /** Waits until {@code count} of the listings have answered (the refused ones, the ledger being held). */
    private static void awaitRefusals(List<CompletableFuture<HttpResponse<String>>> listings, int count)
        throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            if (listings.stream().filter(CompletableFuture::isDone).count() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " listings were refused while the ledger was held");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
