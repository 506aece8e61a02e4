/**
 * Streaming statement importers: {@link com.fanzfinance.reconciliation.importers.GenericCsvImporter},
 * {@link com.fanzfinance.reconciliation.importers.MappedCsvImporter},
 * {@link com.fanzfinance.reconciliation.importers.EpochDataPlusImporter} and
 * {@link com.fanzfinance.reconciliation.importers.Camt053Importer}. Each reads a file once, holding one line (or
 * one camt.053 entry) at a time, and hands every line to a {@link com.fanzfinance.reconciliation.LineSink}.
 *
 * <p>Money is exact: decimal text becomes {@code long} minor units at the currency's scale (zeros beyond the
 * scale, as in {@code 5.000} EUR or {@code 1000.00} JPY, are accepted), and an amount with a non-zero decimal
 * beyond the scale, an unknown currency or an amount too large for a {@code long} refuses the file
 * with a {@link com.fanzfinance.reconciliation.StatementFormatException} that says what and where.
 *
 * <p>Limits shared by the CSV importers: a record of at most 65,536 characters and 64 fields, references and
 * groups of at most 400 characters; descriptions are cut to {@link com.fanzfinance.reconciliation.LineSink#DESCRIPTION_MAX}.
 */
package com.fanzfinance.reconciliation.importers;
