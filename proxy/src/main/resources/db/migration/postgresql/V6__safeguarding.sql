-- SPEC section 11: the alerts outbox, written in the transaction of what caused each; device
-- names; counters per day, group, category and site for the annual review ('' for allowed requests).
CREATE TABLE alerts (id BIGSERIAL PRIMARY KEY, uid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                     device TEXT NOT NULL, mac TEXT, name TEXT, grp TEXT NOT NULL, ts TEXT NOT NULL,
                     last_ts TEXT NOT NULL, count BIGINT NOT NULL, what TEXT NOT NULL, ref TEXT, link TEXT,
                     state TEXT NOT NULL, attempts INTEGER NOT NULL, next_try BIGINT NOT NULL, mailed_at TEXT,
                     posted_at TEXT, delivered_at TEXT, last_error TEXT);
CREATE INDEX alerts_due ON alerts (state, next_try);
CREATE INDEX alerts_device_kind ON alerts (device, kind, id);
CREATE INDEX alerts_ts ON alerts (ts);
CREATE TABLE device_names (device TEXT PRIMARY KEY, name TEXT NOT NULL, set_by TEXT NOT NULL, set_at TEXT NOT NULL);
CREATE TABLE counters (day TEXT NOT NULL, grp TEXT NOT NULL, category TEXT NOT NULL, site TEXT NOT NULL,
                       decision TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (day, grp, category, site, decision));
