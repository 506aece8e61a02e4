-- Issue #19: who requested a payout, its approval (four eyes above the rail account's approval_threshold) and an
-- operator's hold. A payout awaiting approval or on hold stays held: no batch takes it and no API rail is handed it.

-- requested_by: the API key's id, or 'schedule'; payouts made before this column have none.
-- approval_status: not_required, pending or approved, decided when the payout is requested (earlier payouts needed
-- none). operator_hold_at is set while an operator holds the payout; releasing clears the three hold columns.
ALTER TABLE payouts
    ADD COLUMN requested_by          varchar(160),
    ADD COLUMN approval_status       varchar(16)  NOT NULL DEFAULT 'not_required',
    ADD COLUMN approval_by           varchar(160),
    ADD COLUMN approval_at           timestamptz,
    ADD COLUMN approval_note         varchar(400),
    ADD COLUMN operator_hold_reason  varchar(400),
    ADD COLUMN operator_hold_by      varchar(160),
    ADD COLUMN operator_hold_at      timestamptz;
