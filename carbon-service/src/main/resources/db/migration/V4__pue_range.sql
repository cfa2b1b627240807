-- The stated range of a PUE row (docs/methodology.md, "Uncertainty"): both ends or neither. Without one, carbon-service
-- applies its default range around the PUE.
ALTER TABLE datacenter_pue ADD COLUMN pue_low NUMERIC(6,3);
ALTER TABLE datacenter_pue ADD COLUMN pue_high NUMERIC(6,3);
ALTER TABLE datacenter_pue ADD CONSTRAINT datacenter_pue_range CHECK (
    (pue_low IS NULL AND pue_high IS NULL)
    OR (pue_low >= 1 AND pue_low <= pue AND pue <= pue_high AND pue_high <= 3));
