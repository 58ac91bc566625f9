-- The audit log (CONTRACT §9): one row per security event, written in the transaction of the
-- change it records. No foreign keys: an event outlives the user or session it names. detail is
-- a JSON object without secrets. Times in Unix milliseconds.
CREATE TABLE auth_events (
  id             VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  at_ms          BIGINT NOT NULL,
  event          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
  session_id     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
  client_address VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_agent     VARCHAR(1024) NOT NULL,
  detail         TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX auth_events_at ON auth_events (at_ms);
CREATE INDEX auth_events_user_at ON auth_events (user_id, at_ms);
