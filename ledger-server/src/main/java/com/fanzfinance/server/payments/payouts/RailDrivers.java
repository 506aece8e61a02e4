package com.fanzfinance.server.payments.payouts;

import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.server.payments.MerchantAccounts;

/** Makes the driver of an API rail account (tests may give their own). */
@FunctionalInterface
public interface RailDrivers {
    /**
     * The driver for {@code account} as it is now (settings and secrets opened).
     *
     * @throws com.fanzfinance.payouts.rail.RailConfigurationException when the account cannot work
     */
    PayoutRail driver(MerchantAccounts.Account account);
}
