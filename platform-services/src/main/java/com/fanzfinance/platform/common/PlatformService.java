package com.fanzfinance.platform.common;

/** One running platform service: its HTTP side, and a close that stops it and everything it started. */
public interface PlatformService extends AutoCloseable {
    ServiceApp app();

    @Override
    void close();
}
