-- SPEC section 12: blocks and allows are trust-wide unless given a site (one school of the trust).
ALTER TABLE blocks ADD COLUMN site TEXT;
ALTER TABLE allows ADD COLUMN site TEXT;
