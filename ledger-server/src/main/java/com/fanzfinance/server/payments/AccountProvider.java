package com.fanzfinance.server.payments;

import java.util.List;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;

/**
 * What a merchant account is an account with, as {@link MerchantAccounts} sees it: a processor (through its
 * driver) or a payout rail. Each names the settings and secrets its accounts take and says what would make an
 * account unworkable, so that a bad account is refused when it is made rather than when money moves.
 */
public interface AccountProvider {
    /** The name accounts carry as {@code processor}, e.g. {@code ccbill} or {@code ach}. */
    String name();

    List<SettingSpec> settings();

    List<SecretSpec> secrets();

    /** Why an account with these settings and secrets could not work (empty: it can). */
    List<String> accountProblems(MerchantAccount view);

    /** A processor driver as an account provider. */
    static AccountProvider of(ProcessorDriver driver) {
        return new AccountProvider() {
            @Override
            public String name() {
                return driver.name();
            }

            @Override
            public List<SettingSpec> settings() {
                return driver.settings();
            }

            @Override
            public List<SecretSpec> secrets() {
                return driver.secrets();
            }

            @Override
            public List<String> accountProblems(MerchantAccount view) {
                return driver.accountProblems(view);
            }
        };
    }
}
