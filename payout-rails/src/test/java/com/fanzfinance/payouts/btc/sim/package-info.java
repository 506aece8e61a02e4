/**
 * Test support shipped in the test-jar: {@link com.fanzfinance.payouts.btc.sim.EsploraSimulator}, an Esplora REST
 * endpoint over an in-memory regtest chain with bitcoinj script verification, for the driver's and the server's tests.
 */
package com.fanzfinance.payouts.btc.sim;
