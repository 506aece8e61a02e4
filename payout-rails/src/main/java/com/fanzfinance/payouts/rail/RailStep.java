package com.fanzfinance.payouts.rail;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of one {@link PayoutRail#advance} call.
 *
 * @param status       where the payout stands
 * @param reference    the rail's id of the payout once there is one (Paxum transaction id, Wise transfer id, transaction
 *                     hash), else null
 * @param code         the rail's own code for a failure or return (Paxum {@code 51}, Wise {@code bounced_back}), else null
 * @param reason       a sentence for people (no secrets), else null
 * @param checkAgainIn when to call again; ignored for a final status
 */
public record RailStep(RailStatus status, String reference, String code, String reason, Duration checkAgainIn) {

    public RailStep {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkAgainIn, "checkAgainIn");
        if (checkAgainIn.isNegative()) {
            throw new IllegalArgumentException("checkAgainIn must not be negative");
        }
    }

    public static RailStep preparing(String reason, Duration checkAgainIn) {
        return new RailStep(RailStatus.PREPARING, null, null, reason, checkAgainIn);
    }

    public static RailStep submitted(String reference, String reason, Duration checkAgainIn) {
        return new RailStep(RailStatus.SUBMITTED, reference, null, reason, checkAgainIn);
    }

    public static RailStep unknown(String reference, String reason, Duration checkAgainIn) {
        return new RailStep(RailStatus.UNKNOWN, reference, null, reason, checkAgainIn);
    }

    public static RailStep settled(String reference, String reason) {
        return new RailStep(RailStatus.SETTLED, reference, null, reason, Duration.ZERO);
    }

    public static RailStep failed(String reference, String code, String reason) {
        return new RailStep(RailStatus.FAILED, reference, code, reason, Duration.ZERO);
    }

    public static RailStep returned(String reference, String code, String reason) {
        return new RailStep(RailStatus.RETURNED, reference, code, reason, Duration.ZERO);
    }
}
