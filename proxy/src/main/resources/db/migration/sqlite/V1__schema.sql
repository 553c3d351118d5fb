-- The schema schoolgate's own migration runner wrote as version 1 (PRAGMA user_version 1).
-- Never edit: databases in the field were made by this text. Such a database is baselined at
-- version 1 (SchemaMigrations), so this file runs only on a new database.
CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,
                    iterations INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE blocks (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                     report_id INTEGER);
CREATE TABLE allows (domain TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL,
                     report_id INTEGER);
CREATE TABLE reports (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL,
                      note TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                      decided_by TEXT, decided_at TEXT, decision_reason TEXT);
CREATE TABLE overrides (id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT, client TEXT, categories TEXT NOT NULL,
                        domains TEXT NOT NULL, until TEXT NOT NULL, reason TEXT NOT NULL, created_by TEXT NOT NULL,
                        created_at TEXT NOT NULL, deleted_at TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
                    target TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, client TEXT NOT NULL, grp TEXT NOT NULL,
                     kind TEXT NOT NULL, host TEXT NOT NULL, detail TEXT NOT NULL, mac TEXT);
CREATE INDEX events_ts ON events (ts);
CREATE TABLE devices (address TEXT PRIMARY KEY, since TEXT NOT NULL, attempts INTEGER NOT NULL, kinds TEXT NOT NULL,
                      mode TEXT NOT NULL, mac TEXT);
