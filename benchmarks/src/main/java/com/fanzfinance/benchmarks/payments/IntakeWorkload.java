package com.fanzfinance.benchmarks.payments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The notifications of one run, fixed by a seed: sales, each for its own checkout and one of {@code creators}
 * creators, and in the mixed workload also exact re-deliveries of earlier sales (10%) and refunds of earlier
 * sales (5%, each sale at most once, for 1 minor unit up to its whole gross). A duplicate or refund only names
 * a sale delivered at least {@code lag} deliveries before it (a few times the senders in flight), and the
 * driver also waits until that sale has been answered, so each notification's expected outcome is known in
 * advance: a sale posts, a duplicate is {@code duplicate} of its sale, a refund posts against its sale (never
 * parked).
 */
public final class IntakeWorkload {
    static final long GROSS_MIN = 100;
    static final long GROSS_MAX = 10_000;

    /** What a delivery is. */
    public enum Kind { SALE, DUPLICATE, REFUND }

    /** The mix of notifications. */
    public enum Mix { SALES, MIXED }

    /** One notification: {@code sale} is the sale it is (SALE) or names (DUPLICATE, REFUND); {@code amount} a refund's. */
    public record Delivery(Kind kind, int sale, long amount) {
    }

    private final Delivery[] deliveries;
    private final int[] saleDelivery;
    private final int[] saleCreator;
    private final long[] saleGross;
    private final int creators;

    private IntakeWorkload(Delivery[] deliveries, int[] saleDelivery, int[] saleCreator, long[] saleGross, int creators) {
        this.deliveries = deliveries;
        this.saleDelivery = saleDelivery;
        this.saleCreator = saleCreator;
        this.saleGross = saleGross;
        this.creators = creators;
    }

    /** {@code lag}: how far back, in deliveries, a duplicate or refund reaches at least. */
    public static IntakeWorkload of(int count, int creators, Mix mix, int lag, long seed) {
        if (count < 1 || creators < 1 || lag < 1) {
            throw new IllegalArgumentException("a workload needs notifications, creators and a positive lag");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Delivery[] deliveries = new Delivery[count];
        List<Integer> saleDelivery = new ArrayList<>();
        int[] saleCreator = new int[count];
        long[] saleGross = new long[count];
        int ready = 0;
        int refundNext = 0;
        for (int i = 0; i < count; i++) {
            while (ready < saleDelivery.size() && saleDelivery.get(ready) <= i - lag) {
                ready++;
            }
            int roll = random.nextInt(100);
            if (mix == Mix.MIXED && roll < 10 && ready > 0) {
                deliveries[i] = new Delivery(Kind.DUPLICATE, random.nextInt(ready), 0);
            } else if (mix == Mix.MIXED && roll >= 10 && roll < 15 && refundNext < ready) {
                int sale = refundNext++;
                deliveries[i] = new Delivery(Kind.REFUND, sale, random.nextLong(1, saleGross[sale] + 1));
            } else {
                int sale = saleDelivery.size();
                saleDelivery.add(i);
                saleCreator[sale] = random.nextInt(creators);
                saleGross[sale] = random.nextLong(GROSS_MIN, GROSS_MAX + 1);
                deliveries[i] = new Delivery(Kind.SALE, sale, 0);
            }
        }
        int sales = saleDelivery.size();
        return new IntakeWorkload(deliveries, saleDelivery.stream().mapToInt(Integer::intValue).toArray(),
            Arrays.copyOf(saleCreator, sales), Arrays.copyOf(saleGross, sales), creators);
    }

    public int size() {
        return deliveries.length;
    }

    public Delivery delivery(int index) {
        return deliveries[index];
    }

    public int sales() {
        return saleDelivery.length;
    }

    public int creators() {
        return creators;
    }

    public int creatorOf(int sale) {
        return saleCreator[sale];
    }

    public long grossOf(int sale) {
        return saleGross[sale];
    }

    /** The delivery of {@code sale}. */
    public int deliveryOf(int sale) {
        return saleDelivery[sale];
    }

    /** The delivery that must have been answered before {@code index} is sent, or -1. */
    public int dependency(int index) {
        Delivery delivery = deliveries[index];
        return delivery.kind() == Kind.SALE ? -1 : saleDelivery[delivery.sale()];
    }

    /** How many of deliveries {@code [from, to)} are of {@code kind}. */
    public int count(Kind kind, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (deliveries[i].kind() == kind) {
                count++;
            }
        }
        return count;
    }

    /** The creator's id as the checkout and the ledger name it. */
    public static String creatorId(int creator) {
        return "c_" + creator;
    }

    /** The processor's transaction id of a sale, and of the refund of that sale. */
    public static String saleTransaction(int sale) {
        return "S" + sale;
    }

    public static String refundTransaction(int sale) {
        return "R" + sale;
    }
}
