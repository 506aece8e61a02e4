package com.fanzfinance.payouts.wise;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A Wise webhook event as {@link WiseWebhooks#parse} reads it.
 *
 * @param eventType          {@code event_type}, e.g. {@code transfers#state-change}
 * @param resourceId         the transfer id ({@code data.resource.id}, or {@code data.transfer_id} for
 *                           {@code transfers#payout-failure}) as a string, else null
 * @param currentState       {@code data.current_state} (state-change), else null
 * @param previousState      {@code data.previous_state} (state-change), else null
 * @param occurredAt         {@code data.occurred_at}, else null: order events by it, Wise does not keep order
 * @param failureCode        {@code data.failure_reason_code} (payout-failure), else null
 * @param failureDescription {@code data.failure_description} (payout-failure), else null
 * @param refundAmount       {@code data.resource.refund_amount} (refund) as Wise sends it (a decimal amount), else null
 * @param refundCurrency     {@code data.resource.refund_currency} (refund), else null
 * @param subscriptionId     {@code subscription_id}
 * @param schemaVersion      {@code schema_version}
 * @param profileId          the Wise profile the event is about ({@code data.resource.profile_id}, or
 *                           {@code data.profile_id} for {@code transfers#payout-failure}) as a string, else null: the
 *                           server checks it is the merchant account's profile before acting on the event
 */
public record WiseEvent(String eventType, String resourceId, String currentState, String previousState,
                        Instant occurredAt, String failureCode, String failureDescription, BigDecimal refundAmount,
                        String refundCurrency, String subscriptionId, String schemaVersion,
                        String profileId) {
}
