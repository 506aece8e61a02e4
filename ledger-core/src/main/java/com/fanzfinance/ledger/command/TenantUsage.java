package com.fanzfinance.ledger.command;

/**
 * What a tenant uses of its quotas: the accounts it holds (whoever created them), and the transfers and
 * transiently failed transfer ids its own scoped commands created.
 */
public record TenantUsage(long accounts, long transfers, long failedTransferIds) {
}
