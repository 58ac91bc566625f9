-- Limits shared by every host (login_throttle.scope "database"): one row per limit and key, the
-- count of a fixed window ending at window_end (epoch ms). key_hash is the SHA-256 hex of the email
-- or client address, never the value. Rows whose window ended are purged by the hosts.
CREATE TABLE throttle_counts (
  kind       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  key_hash   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  window_end BIGINT NOT NULL,
  hits       BIGINT NOT NULL,
  PRIMARY KEY (kind, key_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX throttle_counts_window_end ON throttle_counts (window_end);
