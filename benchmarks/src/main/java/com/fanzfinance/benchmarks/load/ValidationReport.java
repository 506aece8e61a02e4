package com.fanzfinance.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The differences a validation found. Keeps the first {@link #PROBLEMS_KEPT} descriptions (a limit: a
 * broken run would otherwise list millions) and counts all of them.
 */
public final class ValidationReport {
    public static final int PROBLEMS_KEPT = 20;

    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long accountsChecked;
    private long transfersChecked;

    public synchronized void problem(String description) {
        problemCount++;
        if (problems.size() < PROBLEMS_KEPT) {
            problems.add(description);
        }
    }

    public synchronized void accountsChecked(long count) {
        accountsChecked += count;
    }

    public synchronized void transfersChecked(long count) {
        transfersChecked += count;
    }

    public synchronized boolean passed() {
        return problemCount == 0;
    }

    public synchronized long problemCount() {
        return problemCount;
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public synchronized long accountsChecked() {
        return accountsChecked;
    }

    public synchronized long transfersChecked() {
        return transfersChecked;
    }
}
