package com.fanzfinance.server.payments.payouts;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import org.jooq.DSLContext;

import com.fanzfinance.payouts.btc.BitcoinRail;
import com.fanzfinance.payouts.evm.Erc20Rail;
import com.fanzfinance.payouts.paxum.PaxumRail;
import com.fanzfinance.payouts.rail.PayoutRail;
import com.fanzfinance.payouts.rail.RailAccount;
import com.fanzfinance.payouts.rail.RailConfigurationException;
import com.fanzfinance.payouts.rail.RailHttp;
import com.fanzfinance.payouts.wise.WiseRail;
import com.fanzfinance.server.payments.MerchantAccounts;

/** The server's rail drivers: made from the account's settings and opened secrets, talking through the server's {@link RailHttp}. */
public final class StandardRailDrivers implements RailDrivers {
    private final RailHttp http;
    private final RailNonces nonces;
    private final Clock clock = Clock.systemUTC();

    /** @param dsl the payments database, where the EVM wallets' nonces are kept */
    public StandardRailDrivers(RailHttp http, DSLContext dsl) {
        this.http = http;
        this.nonces = new RailNonces(dsl);
    }

    @Override
    public PayoutRail driver(MerchantAccounts.Account account) {
        Map<String, String> secrets = new TreeMap<>(account.driverView().secrets().current());
        RailAccount rail = new RailAccount(account.id(), account.processor(), account.driverView().settings(), secrets);
        return switch (account.processor()) {
            case ApiRails.PAXUM -> new PaxumRail(rail, http, clock);
            case ApiRails.WISE -> new WiseRail(rail, http, clock);
            case ApiRails.USDC_EVM -> new Erc20Rail(rail, http, clock, nonces);
            case ApiRails.BTC -> new BitcoinRail(rail, http, clock);
            default -> throw new RailConfigurationException("no driver for rail " + account.processor());
        };
    }
}
