package com.fanzfinance.benchmarks.payments;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a run needs before the clock starts, made through the API as a platform would: a tenant, its platform
 * key, a Verotel merchant account with a fresh signature key, one checkout per sale (for its creator and
 * gross, opened by several threads), and every delivery's signed query (a duplicate is its sale's query
 * again, byte for byte).
 */
record IntakeSetup(String key, String merchantAccountId, String[] checkouts, String[] queries) {
    static final String TENANT = "bench";
    static final String SHOP_ID = "122965";
    static final ExpectedLedger.Fees FEES = new ExpectedLedger.Fees(1000, 30, 25);

    static IntakeSetup prepare(PaymentsApi api, IntakeWorkload workload, int threads) throws InterruptedException {
        api.createTenant(TENANT);
        String key = api.createPlatformKey(TENANT);
        String signatureKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        String merchant = api.createVerotelAccount(TENANT, SHOP_ID, signatureKey, FEES);
        String[] checkouts = openCheckouts(api, key, workload, threads);
        return new IntakeSetup(key, merchant, checkouts,
            queries(new VerotelPostbacks(signatureKey, SHOP_ID), workload, checkouts));
    }

    private static String[] openCheckouts(PaymentsApi api, String key, IntakeWorkload workload, int threadCount)
        throws InterruptedException {
        String[] checkouts = new String[workload.sales()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int sale = next.getAndIncrement(); sale < checkouts.length && failure.get() == null;
                         sale = next.getAndIncrement()) {
                        checkouts[sale] = api.openCheckout(key, TENANT,
                            IntakeWorkload.creatorId(workload.creatorOf(sale)), workload.grossOf(sale));
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "checkout-opener-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return checkouts;
    }

    private static String[] queries(VerotelPostbacks postbacks, IntakeWorkload workload, String[] checkouts) {
        String[] queries = new String[workload.size()];
        for (int i = 0; i < queries.length; i++) {
            IntakeWorkload.Delivery delivery = workload.delivery(i);
            int sale = delivery.sale();
            queries[i] = switch (delivery.kind()) {
                case SALE -> postbacks.sale(IntakeWorkload.saleTransaction(sale), workload.grossOf(sale), checkouts[sale]);
                case DUPLICATE -> queries[workload.deliveryOf(sale)];
                case REFUND -> postbacks.refund(IntakeWorkload.refundTransaction(sale), IntakeWorkload.saleTransaction(sale),
                    delivery.amount());
            };
        }
        return queries;
    }
}
