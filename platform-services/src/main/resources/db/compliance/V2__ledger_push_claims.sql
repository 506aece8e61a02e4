-- A push is sent by one sender at a time: the sender claims the row (status 'sending', next_attempt_at the end
-- of its lease) under this claim id, and its outcome counts only while the claim is still its own. A change
-- queued meanwhile keeps the claim, so the sender sees the version moved on and queues the row again.
ALTER TABLE ledger_pushes ADD COLUMN claim uuid;
-- When the current run of failures began (null unless status is 'failing'): the give-up time counts from here,
-- so waiting for the payee, however long, never counts against it.
ALTER TABLE ledger_pushes ADD COLUMN failing_since timestamptz;
