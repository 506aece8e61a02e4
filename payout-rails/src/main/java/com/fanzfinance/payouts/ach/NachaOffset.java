package com.fanzfinance.payouts.ach;

/**
 * The originator's own account, to which {@link NachaWriter} adds a balancing entry at the end of a
 * batch: a debit (TC 27 for checking, 37 for savings) of the batch's credits minus its debits. Its
 * trace number is the batch's ODFI identification followed by the sequence after the last entry's.
 *
 * @param routingNumber 9-digit ABA routing number of the originator's account
 * @param accountNumber 1–17 printable ASCII characters
 * @param savings       {@code true} for a savings account (TC 37), {@code false} for checking (TC 27)
 * @param name          the name written on the offset entry, at most 22 characters
 */
public record NachaOffset(String routingNumber, String accountNumber, boolean savings, String name) {
}
