-- SPEC section 12: reports, events and audit rows name the site (school) of the gateway that
-- wrote them, and the console filters by site. Rows written before this have none.
ALTER TABLE reports ADD COLUMN site TEXT;
ALTER TABLE events ADD COLUMN site TEXT;
ALTER TABLE audit ADD COLUMN site TEXT;
CREATE INDEX events_site_ts ON events (site, ts);
CREATE INDEX audit_site_ts ON audit (site, ts);
