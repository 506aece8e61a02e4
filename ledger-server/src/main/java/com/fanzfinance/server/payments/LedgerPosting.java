package com.fanzfinance.server.payments;

import java.util.List;

import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.ledger.engine.LedgerBusyException;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.LedgerFailedException;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.payments.posting.CreatorPosition;
import com.fanzfinance.server.payments.posting.EngineLedgerPort;
import com.fanzfinance.server.payments.posting.EventIdentity;
import com.fanzfinance.server.payments.posting.Fees;
import com.fanzfinance.server.payments.posting.LedgerCommandRefusedException;
import com.fanzfinance.server.payments.posting.PlanPoster;
import com.fanzfinance.server.payments.posting.PositionReader;
import com.fanzfinance.server.payments.posting.PostOutcome;
import com.fanzfinance.server.payments.posting.PostingPlan;
import com.fanzfinance.server.payments.posting.PostingPlanner;
import com.fanzfinance.server.payments.posting.PostingRequest;
import com.fanzfinance.server.payments.posting.Shares;

/** {@link Posting} over the running engine: the §5 templates ({@link PostingPlanner}) and {@link PlanPoster}. */
public final class LedgerPosting implements Posting {
    private final EngineLedgerPort port;
    private final PositionReader positions;
    private final PlanPoster poster;
    private final TenantRegistry tenants;

    public LedgerPosting(Ledger engine, TenantRegistry tenants) {
        this.port = new EngineLedgerPort(engine);
        this.positions = new PositionReader(port);
        this.poster = new PlanPoster(port);
        this.tenants = tenants;
    }

    @Override
    public String plan(Input input) {
        EventIdentity identity = new EventIdentity(input.merchantAccountId(), input.dedupeKey(), input.version());
        Fees fees = new Fees(input.fees().percentBp(), input.fees().fixed(), input.fees().chargeback(), input.fees().refund());
        try {
            CreatorPosition position = positions.read(input.tenant(), input.ledger(), input.creator(),
                input.parent() != null ? input.parent().referrer() : input.referrer());
            PostingRequest request;
            if (input.parent() == null) {
                request = PostingRequest.charge(identity, input.eventId(), input.tenant(), input.ledger(), input.processor(),
                    input.creator(), input.referrer(), input.kind(), input.gross(), fees,
                    new Shares(input.platformBp(), input.referralBp(), input.reserveBp(), input.reserveDays()), position);
            } else {
                Posting.Parent parent = input.parent();
                PostingPlan parentPlan = input.kind() == PaymentKind.VOID && parent.planJson() != null
                    ? PostingPlan.fromJson(parent.planJson()) : null;
                request = PostingRequest.reversal(identity, input.eventId(), input.tenant(), input.ledger(), input.processor(),
                    input.creator(), parent.referrer(), input.kind(), input.gross(), fees,
                    new com.fanzfinance.server.payments.posting.Parent(parent.gross(), new Shares(parent.platformBp(), parent.referralBp(), 0, 0), parentPlan),
                    position);
            }
            return PostingPlanner.plan(request).toJson();
        } catch (LedgerBusyException | LedgerFailedException e) {
            throw new UnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public Outcome post(String tenant, String planJson) {
        int tenantNumber = tenants.idOf(tenant).orElseThrow(() -> new IllegalStateException("no tenant " + tenant));
        PostOutcome outcome;
        try {
            outcome = poster.post(tenantNumber, PostingPlan.fromJson(planJson));
        } catch (LedgerBusyException | LedgerFailedException e) {
            throw new UnavailableException(e.getMessage(), e);
        } catch (LedgerCommandRefusedException e) {
            return new Outcome.Refused("the ledger refused the command: " + e.outcome(), false);
        }
        if (outcome instanceof PostOutcome.Posted posted) {
            return new Outcome.Posted(posted.transferIds().stream().map(Object::toString).toList());
        }
        PostOutcome.Refused refused = (PostOutcome.Refused) outcome;
        return new Outcome.Refused(describe(refused), refused.replannable());
    }

    private static String describe(PostOutcome.Refused refused) {
        List<String> parts = new java.util.ArrayList<>();
        refused.accounts().forEach(account -> parts.add("account " + account));
        refused.legs().forEach(leg -> parts.add("leg " + leg));
        return String.join("; ", parts);
    }
}
