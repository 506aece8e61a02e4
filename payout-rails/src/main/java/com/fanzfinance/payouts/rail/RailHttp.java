package com.fanzfinance.payouts.rail;

/**
 * How HTTP rails reach their API; the server passes one that honours {@code FANZ_PROVIDER_CALLS} and its limits, tests
 * one pointed at a local simulator.
 */
@FunctionalInterface
public interface RailHttp {
    /**
     * Sends the request and returns the answer, whatever its status.
     *
     * @throws RailCallException when no answer arrived: {@link RailCallException#mayHaveArrived()} says whether the
     *                           request may have reached the rail (a timeout) or surely did not (connection refused)
     */
    RailResponse send(RailRequest request) throws RailCallException;
}
