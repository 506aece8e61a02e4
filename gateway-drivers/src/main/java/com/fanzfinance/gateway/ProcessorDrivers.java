package com.fanzfinance.gateway;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The drivers on the class path, by name, found with {@link ServiceLoader}. */
public final class ProcessorDrivers {

    private final Map<String, ProcessorDriver> byName;

    private ProcessorDrivers(Map<String, ProcessorDriver> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Every driver registered under {@code META-INF/services/com.fanzfinance.gateway.ProcessorDriver}. */
    public static ProcessorDrivers load() {
        return load(ProcessorDrivers.class.getClassLoader());
    }

    public static ProcessorDrivers load(ClassLoader loader) {
        Map<String, ProcessorDriver> drivers = new TreeMap<>();
        for (ProcessorDriver driver : ServiceLoader.load(ProcessorDriver.class, loader)) {
            ProcessorDriver earlier = drivers.putIfAbsent(driver.name(), driver);
            if (earlier != null) {
                throw new IllegalStateException("two drivers for " + driver.name() + ": "
                        + earlier.getClass().getName() + " and " + driver.getClass().getName());
            }
        }
        return new ProcessorDrivers(drivers);
    }

    public Optional<ProcessorDriver> driver(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, ProcessorDriver> all() {
        return byName;
    }
}
