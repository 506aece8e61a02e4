-- Set by a sender whose claim lapsed when it finishes while another sender holds a live claim: what it delivered
-- may have reached the ledger after the live sender's state, so that sender's completion sends the row again
-- instead of taking the claim from it (which would let a third sender run beside it).
ALTER TABLE ledger_pushes ADD COLUMN resend boolean NOT NULL DEFAULT false;
-- How many times in a row the push has waited for its payee: each wait is twice the one before, up to the
-- longest wait, so a creator who never gets a payee costs the ledger little.
ALTER TABLE ledger_pushes ADD COLUMN waits int NOT NULL DEFAULT 0;
-- Before this version a push waiting for its payee was given up (next_attempt_at null) like a failing one after
-- the give-up time; waiting never gives up, so such rows are due again.
UPDATE ledger_pushes SET next_attempt_at = now() WHERE status = 'waiting_for_payee' AND next_attempt_at IS NULL;
