-- The audit log (CONTRACT §9): one row per security event, written in the transaction of the
-- change it records. No foreign keys: an event outlives the user or session it names. detail is
-- a JSON object without secrets. Times in Unix milliseconds.
CREATE TABLE auth_events (
  id             TEXT PRIMARY KEY,
  at_ms          INTEGER NOT NULL,
  event          TEXT NOT NULL,
  user_id        TEXT,
  session_id     TEXT,
  client_address TEXT NOT NULL,
  user_agent     TEXT NOT NULL,
  detail         TEXT NOT NULL
);
CREATE INDEX auth_events_at ON auth_events (at_ms);
CREATE INDEX auth_events_user_at ON auth_events (user_id, at_ms);
