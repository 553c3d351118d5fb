-- SPEC section 12: alerts name the site (school) of the gateway that raised them, as reports,
-- events and audit rows do; /api/alerts takes ?site=. Alerts raised before this have none.
ALTER TABLE alerts ADD COLUMN site TEXT;
CREATE INDEX alerts_site_ts ON alerts (site, ts);
