package com.fanzfinance.server.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Whether a person is watching: standard input and output are a terminal. Up to JDK 21 that is
 * {@code System.console() != null}; JDK 22 to 24 return a console even when the output is a pipe, and
 * say whether it is a terminal with {@code Console.isTerminal()}, which this calls by reflection because
 * the code is compiled for Java 17.
 */
public final class Terminal {
    private Terminal() {
    }

    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            return false;
        }
    }
}
