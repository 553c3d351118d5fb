-- SPEC section 15: who is on which address, from RADIUS accounting. One row per address and
-- site (schools of a trust reuse private ranges); nas is the equipment that reported it, so that
-- its Accounting-On/Off ends all of its rows; updated_ms (epoch milliseconds) drives session_max.
CREATE TABLE identities (site TEXT NOT NULL, address TEXT NOT NULL, user_name TEXT NOT NULL,
                         session_id TEXT NOT NULL, nas TEXT NOT NULL, since TEXT NOT NULL,
                         updated_ms BIGINT NOT NULL, PRIMARY KEY (site, address));
CREATE INDEX identities_nas ON identities (site, nas);
CREATE INDEX identities_updated ON identities (site, updated_ms);
-- The user on the device's address when the attempt was made (RADIUS accounting), for the
-- attempts page and /api/events; null when nobody was identified.
ALTER TABLE events ADD COLUMN user_name TEXT;
