-- The tables of sqlite/V1__schema.sql in PostgreSQL's types: same names, same columns, so one
-- set of statements (SqlOps) serves both. Times stay ISO-8601 text, as the rows carry them.
CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, salt BYTEA NOT NULL, hash BYTEA NOT NULL,
                    iterations INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE blocks (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                     report_id BIGINT);
CREATE TABLE allows (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                     report_id BIGINT);
CREATE TABLE reports (id BIGSERIAL PRIMARY KEY, url TEXT NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL,
                      note TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                      decided_by TEXT, decided_at TEXT, decision_reason TEXT);
CREATE TABLE overrides (id BIGSERIAL PRIMARY KEY, grp TEXT, client TEXT, categories TEXT NOT NULL,
                        domains TEXT NOT NULL, until TEXT NOT NULL, reason TEXT NOT NULL, created_by TEXT NOT NULL,
                        created_at TEXT NOT NULL, deleted_at TEXT);
CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, ts TEXT NOT NULL, "user" TEXT NOT NULL, action TEXT NOT NULL,
                    target TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE events (id BIGSERIAL PRIMARY KEY, ts TEXT NOT NULL, client TEXT NOT NULL, grp TEXT NOT NULL,
                     kind TEXT NOT NULL, host TEXT NOT NULL, detail TEXT NOT NULL, mac TEXT);
CREATE INDEX events_ts ON events (ts);
CREATE TABLE devices (address TEXT PRIMARY KEY, since TEXT NOT NULL, attempts INTEGER NOT NULL, kinds TEXT NOT NULL,
                      mode TEXT NOT NULL, mac TEXT);
