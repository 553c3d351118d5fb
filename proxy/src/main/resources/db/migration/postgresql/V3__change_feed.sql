-- The durable change sequence: one row per change to what every gateway holds in memory (the
-- admin rules, supervised devices), written in that change's own transaction. NOTIFY
-- schoolgate_changes (sent at commit) wakes the gateways at once; the ids tell a gateway what it
-- has not yet applied, so one that lost its connection catches up when it is back.
CREATE TABLE changes (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(), site TEXT NOT NULL,
                      what TEXT NOT NULL);
CREATE INDEX changes_at ON changes (at);
