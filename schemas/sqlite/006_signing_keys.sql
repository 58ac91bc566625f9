-- Signing keys kept in the database (tokens.keys "database"): every host signs with the one active
-- key and verifies with all of them. private_key_encrypted is AES-256-GCM under a key derived from
-- tokens.key_encryption_key, bound to the kid ("v1." + base64); the private key is never stored in
-- clear. public_key is the SubjectPublicKeyInfo PEM (NULL for HS256, which has no public part).
CREATE TABLE signing_keys (
  kid                   VARCHAR(64) PRIMARY KEY,
  algorithm             VARCHAR(16) NOT NULL CHECK (algorithm IN ('HS256', 'EdDSA', 'ES256')),
  state                 VARCHAR(16) NOT NULL CHECK (state IN ('standby', 'active', 'retired')),
  public_key            TEXT,
  private_key_encrypted TEXT NOT NULL,
  created_at            BIGINT NOT NULL,
  activated_at          BIGINT,
  retired_at            BIGINT
);
-- At most one active key, whatever two operators do at once.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';
