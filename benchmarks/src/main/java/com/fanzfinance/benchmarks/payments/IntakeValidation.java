package com.fanzfinance.benchmarks.payments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a run after the fact, over the API: every notification answered has its own stored payment event and
 * there are no others; every sale and refund is {@code posted} with its transfers, the right kind and gross,
 * and a refund names its sale; every duplicate is {@code duplicate} of its sale; and the ledger holds exactly
 * the balances {@link ExpectedLedger} folds from the workload on every creator_payable, platform_fees,
 * processor_receivable and processor_fees account.
 */
final class IntakeValidation {
    /** The USD ledger of the chart's currency registry (ISO 4217 number). */
    static final int USD_LEDGER = 840;
    static final int CREATOR_PAYABLE = 2100;
    static final int PLATFORM_FEES = 4100;
    /** Processor roles' codes: the role's base plus Verotel's offset (4). */
    static final int VEROTEL_RECEIVABLE = 1104;
    static final int VEROTEL_FEES = 5104;
    /** UUIDv5(URL namespace, "https://fanzfinance/ns/ledger-account"): payment accounts' ids live in it. */
    static final UUID ACCOUNT_NAMESPACE = UUID.fromString("0ac21dea-6447-5abe-ad02-c123a10c065b");
    private static final int PROBLEMS_SHOWN = 20;

    private final List<String> problems = new ArrayList<>();
    private int problemCount;

    /** What was checked; {@link #passed()} when nothing was wrong. */
    record Report(int events, int balances, List<String> problems, int problemCount) {
        boolean passed() {
            return problemCount == 0;
        }
    }

    static Report run(PaymentsApi api, String key, String tenant, String merchantAccountId, IntakeWorkload workload,
                      IntakeDriver driver, ExpectedLedger expected) {
        IntakeValidation validation = new IntakeValidation();
        validation.events(api.paymentEvents(key, merchantAccountId), workload, driver);
        int balances = validation.balances(api, key, tenant, merchantAccountId, expected);
        return new Report(workload.size(), balances, List.copyOf(validation.problems), validation.problemCount);
    }

    private void events(Map<String, JsonNode> events, IntakeWorkload workload, IntakeDriver driver) {
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < workload.size(); i++) {
            String id = driver.eventId(i);
            if (id == null || !answered.add(id)) {
                problem("notification " + i + " has no event id of its own: " + id);
                continue;
            }
            JsonNode event = events.get(id);
            if (event == null) {
                problem("notification " + i + ": event " + id + " is not stored");
                continue;
            }
            IntakeWorkload.Delivery delivery = workload.delivery(i);
            String saleEvent = driver.eventId(workload.deliveryOf(delivery.sale()));
            switch (delivery.kind()) {
                case SALE -> {
                    posted(i, event, "sale", workload.grossOf(delivery.sale()));
                    expect(i, event, "creator", IntakeWorkload.creatorId(workload.creatorOf(delivery.sale())));
                }
                case REFUND -> {
                    posted(i, event, "refund", delivery.amount());
                    expect(i, event, "parent_event_id", saleEvent);
                }
                case DUPLICATE -> {
                    expect(i, event, "status", "duplicate");
                    expect(i, event, "duplicate_of", saleEvent);
                }
                default -> throw new IllegalStateException("unknown kind " + delivery.kind());
            }
        }
        if (events.size() != answered.size()) {
            problem(events.size() + " payment events stored for " + answered.size() + " notifications answered");
        }
    }

    private void posted(int index, JsonNode event, String kind, long gross) {
        expect(index, event, "status", "posted");
        expect(index, event, "kind", kind);
        expect(index, event, "gross", Long.toString(gross));
        if (event.path("transfer_ids").size() == 0) {
            problem("notification " + index + ": event " + event.path("id").asText() + " has no transfers");
        }
    }

    private void expect(int index, JsonNode event, String field, String value) {
        String actual = event.path(field).isNull() ? null : event.path(field).asText(null);
        if (!value.equals(actual)) {
            problem("notification " + index + ": event " + event.path("id").asText() + " has " + field + " " + actual
                + ", expected " + value);
        }
    }

    private int balances(PaymentsApi api, String key, String tenant, String merchantAccountId, ExpectedLedger expected) {
        int checked = 0;
        for (int creator = 0; creator < expected.creatorPayable.length; creator++) {
            String party = IntakeWorkload.creatorId(creator);
            balance(api, key, "creator_payable of " + party, accountId(tenant, CREATOR_PAYABLE, party),
                expected.creatorPayable[creator]);
            checked++;
        }
        balance(api, key, "platform_fees", accountId(tenant, PLATFORM_FEES, ""), expected.platformFees);
        balance(api, key, "processor_receivable", accountId(tenant, VEROTEL_RECEIVABLE, merchantAccountId),
            expected.processorReceivable);
        balance(api, key, "processor_fees", accountId(tenant, VEROTEL_FEES, merchantAccountId), expected.processorFees);
        return checked + 3;
    }

    private void balance(PaymentsApi api, String key, String name, UUID account, long expected) {
        long actual = api.balance(key, account);
        if (actual != expected) {
            problem(name + " (" + account + ") is " + actual + ", expected " + expected);
        }
    }

    private void problem(String text) {
        problemCount++;
        if (problems.size() < PROBLEMS_SHOWN) {
            problems.add(text);
        }
    }

    /** A payment account's id: UUIDv5 in {@link #ACCOUNT_NAMESPACE} of {@code "{tenant}/{ledger}/{code}/{party}"}. */
    static UUID accountId(String tenant, int code, String party) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(ACCOUNT_NAMESPACE.getMostSignificantBits())
                .putLong(ACCOUNT_NAMESPACE.getLeastSignificantBits()).array());
            sha1.update((tenant + "/" + USD_LEDGER + "/" + code + "/" + party).getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha1.digest();
            hash[6] = (byte) (hash[6] & 0x0f | 0x50);
            hash[8] = (byte) (hash[8] & 0x3f | 0x80);
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
