package com.fanzfinance.gateway.testing;

import java.util.List;
import java.util.Optional;

/**
 * The simulated processors, one per driver, each bound to its test merchant account
 * ({@link SimulatedProcessor#account()}). A new driver needs one here: the conformance suite fails for a driver
 * without a simulator.
 */
public final class SimulatedProcessors {

    private SimulatedProcessors() {
    }

    /** CCBill webhooks (sale, rebill, refund, chargeback). */
    public static SimulatedProcessor ccbill() {
        return new SimulatedCcbill(SimulatedCcbill.testAccount());
    }

    /** Verotel FlexPay postbacks (sale, rebill, refund, chargeback). */
    public static SimulatedProcessor verotel() {
        return new SimulatedVerotel(SimulatedVerotel.testAccount());
    }

    /** NOWPayments IPNs (sale, refund). */
    public static SimulatedProcessor nowPayments() {
        return new SimulatedNowPayments(SimulatedNowPayments.testAccount());
    }

    /** Segpay TransPosts with HTTP Basic credentials (sale, rebill, refund, chargeback). */
    public static SimulatedProcessor segpay() {
        return new SimulatedSegpay(SimulatedSegpay.testAccount());
    }

    /** Epoch FlexPost sales and DataPlus rows (rebill, refund, chargeback), signed with epoch_digest. */
    public static SimulatedProcessor epoch() {
        return new SimulatedEpoch(SimulatedEpoch.testAccount());
    }

    /** BTCPay Server webhooks (sale only; the events carry no amount). */
    public static SimulatedProcessor btcpay() {
        return new SimulatedBtcpay(SimulatedBtcpay.testAccount());
    }

    /** CoinPayments legacy IPNs (sale only). */
    public static SimulatedProcessor coinPayments() {
        return new SimulatedCoinPayments(SimulatedCoinPayments.testAccount());
    }

    /** NETbilling hosted-form postbacks (sales only), authenticated by the integrity key as Basic credentials. */
    public static SimulatedProcessor netbilling() {
        return new SimulatedNetbilling(SimulatedNetbilling.testAccount());
    }

    /** CommerceGate callbacks (sale, rebill, refund, chargeback), authenticated by source address only. */
    public static SimulatedProcessor commerceGate() {
        return new SimulatedCommerceGate(SimulatedCommerceGate.testAccount());
    }

    public static List<SimulatedProcessor> all() {
        return List.of(ccbill(), segpay(), epoch(), verotel(), netbilling(), commerceGate(), nowPayments(), btcpay(),
            coinPayments());
    }

    /** The simulator of the processor (driver) named {@code processor}. */
    public static Optional<SimulatedProcessor> forProcessor(String processor) {
        return all().stream().filter(simulator -> simulator.processor().equals(processor)).findFirst();
    }
}
