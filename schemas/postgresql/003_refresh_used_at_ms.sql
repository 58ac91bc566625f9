-- When a refresh token was used, in epoch milliseconds: the reuse grace window is measured in
-- milliseconds (CONTRACT §6), and used_at (whole seconds) could stretch a 1 s window to 1.99 s.
-- used_at stays: it still marks the token used, and a host not yet upgraded writes only it (the
-- store reads COALESCE(used_at_ms, used_at * 1000)).
ALTER TABLE refresh_tokens ADD COLUMN used_at_ms BIGINT;
