-- Sign-in identities from other providers (Google): (provider, subject) -> user, and the one-time
-- nonces handed out for Google sign-in (stored as SHA-256 hex, never the nonce).
CREATE TABLE identities (
  provider   VARCHAR(32) NOT NULL,
  subject    VARCHAR(255) NOT NULL,
  user_id    VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE sign_in_nonces (
  nonce_hash VARCHAR(64) PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sign_in_nonces_expires ON sign_in_nonces (expires_at);
