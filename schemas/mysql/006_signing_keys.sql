-- Signing keys kept in the database (tokens.keys "database"): every host signs with the one active
-- key and verifies with all of them. private_key_encrypted is AES-256-GCM under a key derived from
-- tokens.key_encryption_key, bound to the kid ("v1." + base64); the private key is never stored in
-- clear. public_key is the SubjectPublicKeyInfo PEM (NULL for HS256, which has no public part).
-- MySQL has no partial index: one_active is 1 for the active key and NULL otherwise, and a unique
-- index allows many NULLs, so at most one key is active whatever two operators do at once.
CREATE TABLE signing_keys (
  kid                   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  algorithm             VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (algorithm IN ('HS256', 'EdDSA', 'ES256')),
  state                 VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (state IN ('standby', 'active', 'retired')),
  public_key            TEXT CHARACTER SET ascii COLLATE ascii_bin,
  private_key_encrypted TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at            BIGINT NOT NULL,
  activated_at          BIGINT,
  retired_at            BIGINT,
  one_active            TINYINT AS (CASE WHEN state = 'active' THEN 1 ELSE NULL END) STORED,
  UNIQUE KEY signing_keys_one_active (one_active)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
