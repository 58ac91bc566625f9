-- Latchkey auth schema, PostgreSQL. Ids: 128-bit random hex; times: int64 epoch seconds;
-- token columns hold SHA-256 hex of the token, never the token. Statements end with ';' at line end.
CREATE TABLE users (
  id            VARCHAR(64) PRIMARY KEY,
  email         VARCHAR(320) NOT NULL,
  password_hash TEXT,
  confirmed_at  BIGINT,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE user_roles (
  user_id VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role    VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
  id           VARCHAR(64) PRIMARY KEY,
  user_id      VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_revoked ON sessions (revoked_at);

CREATE TABLE refresh_tokens (
  token_hash  VARCHAR(64) PRIMARY KEY,
  session_id  VARCHAR(64) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  parent_hash VARCHAR(64),
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE access_denylist (
  jti        VARCHAR(64) PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX access_denylist_expires ON access_denylist (expires_at);

CREATE TABLE one_time_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  user_id    VARCHAR(64) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    VARCHAR(16) NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);

CREATE TABLE mail_outbox (
  id              VARCHAR(64) PRIMARY KEY,
  recipient       VARCHAR(320) NOT NULL,
  subject         VARCHAR(998) NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT,
  created_at      BIGINT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  sent_at         BIGINT,
  last_error      TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at);
