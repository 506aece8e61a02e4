package com.fanzfinance.server.payments.posting;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * The ledger postings of one payment event, decided before anything is posted: the accounts to make and
 * one linked chain of transfers (all or nothing). The server stores the plan (as {@link #toJson()}) before
 * posting it and, after a crash, posts the stored plan again rather than planning anew, so a retry can
 * only ever meet its own transfers ({@code exists}).
 *
 * @param identity the ids' source; {@code identity.version()} is the plan version
 * @param accounts the accounts the transfers touch, each once
 * @param transfers the chain in posting order: {@code linked} on all but the last
 */
public record PostingPlan(EventIdentity identity, UUID eventId, PaymentKind kind, String tenant, int ledger,
                          List<PlannedAccount> accounts, List<PlannedTransfer> transfers) {
    private static final ObjectMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .build();

    public PostingPlan {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        accounts = List.copyOf(accounts);
        transfers = List.copyOf(transfers);
        requireChain(accounts, transfers);
    }

    /** The transfer ids in posting order. */
    public List<UUID> transferIds() {
        return transfers.stream().map(PlannedTransfer::id).toList();
    }

    public Optional<PlannedAccount> account(UUID id) {
        return accounts.stream().filter(account -> account.id().equals(id)).findFirst();
    }

    public Optional<PlannedTransfer> leg(String name) {
        return transfers.stream().filter(transfer -> transfer.leg().equals(name)).findFirst();
    }

    /** The plan as JSON, for storing; {@link #fromJson} gives back an equal plan. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serialises", e);
        }
    }

    /** @throws IllegalArgumentException if the text is not a valid plan */
    public static PostingPlan fromJson(String json) {
        try {
            return JSON.readValue(json, PostingPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a posting plan: " + e.getOriginalMessage(), e);
        }
    }

    private static void requireChain(List<PlannedAccount> accounts, List<PlannedTransfer> transfers) {
        Set<UUID> accountIds = new HashSet<>();
        for (PlannedAccount account : accounts) {
            if (!accountIds.add(account.id())) {
                throw new IllegalArgumentException("account " + account.id() + " is listed twice");
            }
        }
        Set<String> legs = new HashSet<>();
        for (int i = 0; i < transfers.size(); i++) {
            PlannedTransfer transfer = transfers.get(i);
            if (!legs.add(transfer.leg())) {
                throw new IllegalArgumentException("leg " + transfer.leg() + " appears twice");
            }
            if (!accountIds.contains(transfer.debitAccountId()) || !accountIds.contains(transfer.creditAccountId())) {
                throw new IllegalArgumentException("leg " + transfer.leg() + " touches an account the plan does not list");
            }
            boolean linked = TransferFlags.isSet(transfer.flags(), TransferFlags.LINKED);
            if (linked != (i < transfers.size() - 1)) {
                throw new IllegalArgumentException("every leg but the last is linked");
            }
        }
    }
}
