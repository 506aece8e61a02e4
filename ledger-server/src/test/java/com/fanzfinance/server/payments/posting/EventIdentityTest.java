package com.fanzfinance.server.payments.posting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdentityTest {
    private static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    private static final UUID MERCHANT = UUID.fromString("6f1d2c3b-0000-4000-8000-000000000001");

    @Test
    void theTransferNamespaceIsUuid5OfItsUrl() {
        assertThat(Uuid5.of(URL_NAMESPACE, "https://fanzfinance/ns/payment-transfer"))
            .isEqualTo(EventIdentity.TRANSFER_NAMESPACE);
    }

    @Test
    void transferIdsAreStable() {
        // Computed once with Python: uuid.uuid5(UUID('5b23f087-…'), '6f1d2c3b-…-000000000001/event:123|456/1/fee').
        assertThat(EventIdentity.first(MERCHANT, "event:123|456").transferId("fee"))
            .isEqualTo(UUID.fromString("08f85848-79ca-55a9-aa11-06693ccbf963"));
    }

    @Test
    void everyLegVersionKeyAndAccountHasItsOwnId() {
        EventIdentity identity = EventIdentity.first(MERCHANT, "event:123|456");
        UUID fee = identity.transferId("fee");
        assertThat(identity.transferId("creator")).isNotEqualTo(fee);
        assertThat(identity.nextVersion().transferId("fee")).isNotEqualTo(fee);
        assertThat(identity.nextVersion().version()).isEqualTo(2);
        assertThat(EventIdentity.first(MERCHANT, "event:123|457").transferId("fee")).isNotEqualTo(fee);
        assertThat(EventIdentity.first(UUID.randomUUID(), "event:123|456").transferId("fee")).isNotEqualTo(fee);
        assertThat(new EventIdentity(MERCHANT, "event:123|456", 1).transferId("fee")).isEqualTo(fee);
    }

    @Test
    void refusesWhatWouldMakeIdsAmbiguous() {
        EventIdentity identity = EventIdentity.first(MERCHANT, "k");
        assertThatThrownBy(() -> identity.transferId("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> identity.transferId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventIdentity(MERCHANT, "", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventIdentity(MERCHANT, "k", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
