package com.fanzfinance.server.payments.posting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.AccountFlags;

class PaymentAccountsTest {
    private static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    private static final String MERCHANT = "6f1d2c3b-0000-4000-8000-000000000001";

    @Test
    void theNamespaceIsUuid5OfItsUrl() {
        assertThat(Uuid5.of(URL_NAMESPACE, "https://fanzfinance/ns/ledger-account")).isEqualTo(PaymentAccounts.NAMESPACE);
    }

    @Test
    void accountIdsMatchIndependentlyComputedUuid5() {
        // Computed once with Python: uuid.uuid5(uuid.UUID('0ac21dea-…'), 'girlfanz/840/2100/c_42') and '…/1104/<merchant>'.
        assertThat(PaymentAccounts.accountId("girlfanz", 840, 2100, "c_42"))
            .isEqualTo(UUID.fromString("ebea60d4-9e8f-5f7e-83a2-b12b9bbc86d7"));
        assertThat(PaymentAccounts.account("girlfanz", 840, PaymentRole.PROCESSOR_RECEIVABLE, "verotel", MERCHANT).id())
            .isEqualTo(UUID.fromString("503dce27-8816-54eb-8205-eac53727326e"));
    }

    @Test
    void rolesHaveTheContractsCodes() {
        assertThat(PaymentRole.PROCESSOR_RECEIVABLE.code("ccbill")).isEqualTo(1101);
        assertThat(PaymentRole.PROCESSOR_RECEIVABLE.code("coinpayments")).isEqualTo(1109);
        assertThat(PaymentRole.PROCESSOR_FEES.code("verotel")).isEqualTo(5104);
        assertThat(PaymentRole.CHARGEBACK_EXPENSE.code("segpay")).isEqualTo(5202);
        assertThat(PaymentRole.PAYOUTS_IN_TRANSIT.code("paxum")).isEqualTo(1401);
        assertThat(PaymentRole.PAYOUT_RAIL_FEES.code("btc")).isEqualTo(5306);
        assertThat(PaymentRole.CREATOR_RECEIVABLE.code(null)).isEqualTo(1500);
        assertThat(PaymentRole.CREATOR_PAYABLE.code(null)).isEqualTo(2100);
        assertThat(PaymentRole.REFERRAL_PAYABLE.code(null)).isEqualTo(2200);
        assertThat(PaymentRole.CREATOR_RESERVE.code(null)).isEqualTo(2300);
        assertThat(PaymentRole.PLATFORM_FEES.code(null)).isEqualTo(4100);
        assertThat(PaymentRole.PAYOUT_FEE_INCOME.code(null)).isEqualTo(4101);
        assertThat(PaymentRole.REFERRAL_EXPENSE.code(null)).isEqualTo(5500);
        assertThat(PaymentRole.BANK.code(null)).isEqualTo(1000);
        assertThat(PaymentRole.processorNumber("epoch")).isEqualTo(3);
        assertThat(PaymentRole.processorNumber("netbilling")).isEqualTo(5);
        assertThat(PaymentRole.processorNumber("commercegate")).isEqualTo(6);
        assertThat(PaymentRole.processorNumber("nowpayments")).isEqualTo(7);
        assertThat(PaymentRole.processorNumber("btcpay")).isEqualTo(8);
        assertThat(PaymentRole.railNumber("wise")).isEqualTo(2);
        assertThat(PaymentRole.railNumber("ach")).isEqualTo(3);
        assertThat(PaymentRole.railNumber("sepa")).isEqualTo(4);
        assertThat(PaymentRole.railNumber("usdc_evm")).isEqualTo(5);
        assertThatThrownBy(() -> PaymentRole.PROCESSOR_FEES.code("paypal")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentRole.PAYOUTS_IN_TRANSIT.code("ccbill")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payablesMayNotGoNegativeAndCreatorPayableKeepsHistory() {
        assertThat(PaymentRole.CREATOR_PAYABLE.flags())
            .isEqualTo(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY);
        assertThat(PaymentRole.REFERRAL_PAYABLE.flags()).isEqualTo(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
        assertThat(PaymentRole.PROCESSOR_RECEIVABLE.flags()).isZero();
        assertThat(PaymentRole.PLATFORM_FEES.flags()).isZero();
    }

    @Test
    void rolesReadAndWriteTheirWireNames() {
        for (PaymentRole role : PaymentRole.values()) {
            assertThat(PaymentRole.ofWireName(role.wireName())).isSameAs(role);
        }
        assertThat(PaymentRole.CHARGEBACK_EXPENSE.wireName()).isEqualTo("chargeback_expense");
        assertThatThrownBy(() -> PaymentRole.ofWireName("CREATOR_PAYABLE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void housePartiesAreEmptyAndOthersAreNot() {
        assertThat(PaymentAccounts.account("girlfanz", 840, PaymentRole.PLATFORM_FEES, null, "").id())
            .isEqualTo(PaymentAccounts.accountId("girlfanz", 840, 4100, ""));
        assertThatThrownBy(() -> PaymentAccounts.account("girlfanz", 840, PaymentRole.PLATFORM_FEES, null, "c_1"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentAccounts.account("girlfanz", 840, PaymentRole.CREATOR_PAYABLE, null, ""))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentAccounts.account("girlfanz", 840, PaymentRole.CREATOR_PAYABLE, null, "a/b"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAccountIsOnePerTenantLedgerCodeAndParty() {
        PlannedAccount account = PaymentAccounts.account("girlfanz", 840, PaymentRole.CREATOR_PAYABLE, null, "c_42");
        assertThat(account).isEqualTo(new PlannedAccount(UUID.fromString("ebea60d4-9e8f-5f7e-83a2-b12b9bbc86d7"), 840,
            2100, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY, PaymentRole.CREATOR_PAYABLE, "c_42"));
        assertThat(PaymentAccounts.account("boyfanz", 840, PaymentRole.CREATOR_PAYABLE, null, "c_42").id())
            .isNotEqualTo(account.id());
        assertThat(PaymentAccounts.account("girlfanz", 978, PaymentRole.CREATOR_PAYABLE, null, "c_42").id())
            .isNotEqualTo(account.id());
        assertThat(PaymentAccounts.account("girlfanz", 840, PaymentRole.CREATOR_RESERVE, null, "c_42").id())
            .isNotEqualTo(account.id());
        assertThat(account.toAccount(7).tenant()).isEqualTo(7);
        assertThat(account.toAccount(7).code()).isEqualTo(2100);
    }

    @Test
    void metadataIsRoleAndParty() {
        PlannedAccount account = PaymentAccounts.account("girlfanz", 840, PaymentRole.CREATOR_PAYABLE, null, "c_42");
        assertThat(new String(PaymentAccounts.metadata(account), StandardCharsets.UTF_8))
            .isEqualTo("{\"role\":\"creator_payable\",\"party\":\"c_42\"}");
    }
}
