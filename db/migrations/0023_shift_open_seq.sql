-- 0023_shift_open_seq: a shift remembers the ledger's last entry when it
-- opened, so its report reads only the entries after it (by sequence
-- number, the primary key) instead of keeping an index on shift_id, which
-- every sale paid for (BenchmarkSale). Shifts opened before keep 0: their
-- reports read from the start.
ALTER TABLE shifts ADD COLUMN open_seq INTEGER NOT NULL DEFAULT 0;
DROP INDEX ledger_shift;
