-- Parley store, schema version 1. Plain SQL that SQLite (3.24+) and PostgreSQL (11+) both run,
-- so one history serves both. A later migration whose SQL differs goes to
-- db/migration/sqlite and db/migration/postgresql, with the same version number in each.

-- One row per room: the id of its newest message ever. Appends take the next ids from here
-- (never from MAX(id)), so pruning old messages can never make an id come back.
CREATE TABLE rooms (
  name    TEXT   NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL
);

CREATE TABLE messages (
  room        TEXT   NOT NULL,
  id          BIGINT NOT NULL,
  sender      TEXT   NOT NULL, -- identity key (session or connection) that scopes cid
  cid         TEXT,            -- client's idempotency key, or NULL
  sender_name TEXT   NOT NULL, -- display name at the time of sending
  text        TEXT   NOT NULL,
  ts          BIGINT NOT NULL, -- accept time, epoch milliseconds
  PRIMARY KEY (room, id)
);

-- Idempotent sends. cid leads sender so that a batch can look up many cids of one room at once.
CREATE UNIQUE INDEX messages_room_cid_sender ON messages (room, cid, sender) WHERE cid IS NOT NULL;

CREATE TABLE sessions (
  sid       TEXT   NOT NULL PRIMARY KEY,
  name      TEXT   NOT NULL,
  name_key  TEXT   NOT NULL, -- UserNames.key(name): lower case, Locale.ROOT
  last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_name_key ON sessions (name_key, last_seen);

-- Monotonic counters; 'guest' numbers guest names, which are never reused.
CREATE TABLE counters (
  name  TEXT   NOT NULL PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('guest', 0);

-- Small settings shared by every process using the store, e.g. the cookie-signing secret (hex).
CREATE TABLE settings (
  name  TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
