-- SPEC section 11: a repeat is the same device, kind and site (for a report, the same reported
-- host and reporter): fold_key holds that site, so another site is a new alert. Alerts raised
-- before this have none and are never folded into. A flood's summary alert has 'summary'.
ALTER TABLE alerts ADD COLUMN fold_key TEXT;
CREATE INDEX alerts_fold ON alerts (device, kind, fold_key, id);
