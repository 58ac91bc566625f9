-- Latchkey auth schema, MySQL / MariaDB (InnoDB, utf8mb4; ids and hashes ascii_bin, email utf8mb4_bin
-- so that comparisons are exact as on the other backends). Ids: 128-bit random hex; times: int64 epoch seconds;
-- token columns hold SHA-256 hex of the token, never the token. Statements end with ';' at line end.
-- Foreign keys index their columns in InnoDB, so those columns get no separate index here.
CREATE TABLE users (
  id            VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  email         VARCHAR(320) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  password_hash TEXT,
  confirmed_at  BIGINT,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE user_roles (
  user_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  role    VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  PRIMARY KEY (user_id, role),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
  id           VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  user_id      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX sessions_revoked ON sessions (revoked_at);

CREATE TABLE refresh_tokens (
  token_hash  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  session_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  parent_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT,
  FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE access_denylist (
  jti        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX access_denylist_expires ON access_denylist (expires_at);

CREATE TABLE one_time_tokens (
  token_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  user_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  purpose    VARCHAR(16) NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT,
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE mail_outbox (
  id              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  recipient       VARCHAR(320) NOT NULL,
  subject         VARCHAR(998) NOT NULL,
  body_text       MEDIUMTEXT NOT NULL,
  body_html       MEDIUMTEXT,
  created_at      BIGINT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  sent_at         BIGINT,
  last_error      TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at);
