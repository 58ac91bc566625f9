-- Sign-in identities from other providers (Google): (provider, subject) -> user, and the one-time
-- nonces handed out for Google sign-in (stored as SHA-256 hex, never the nonce).
-- The foreign key indexes user_id in InnoDB.
CREATE TABLE identities (
  provider   VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  subject    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  user_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (provider, subject),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sign_in_nonces (
  nonce_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX sign_in_nonces_expires ON sign_in_nonces (expires_at);
