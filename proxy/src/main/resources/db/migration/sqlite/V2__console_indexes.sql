-- What the console's lists filter and sort by: /api/events by kind or client, newest first;
-- /api/audit by time. (events (ts) is in V1.)
CREATE INDEX events_kind_ts ON events (kind, ts);
CREATE INDEX events_client_ts ON events (client, ts);
CREATE INDEX audit_ts ON audit (ts);
