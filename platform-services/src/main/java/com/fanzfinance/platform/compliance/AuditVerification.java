package com.fanzfinance.platform.compliance;

/**
 * The outcome of checking the audit log's hash chain ({@link AuditLog#verify}): {@code ok} when every entry's
 * hash matches its contents and links to the one before, in gap-free order from seq 1; otherwise the first
 * entry that fails ({@code firstBadSeq}) and why. {@code entries} is how many entries the log holds.
 */
public record AuditVerification(boolean ok, long entries, Long firstBadSeq, String reason) {
}
