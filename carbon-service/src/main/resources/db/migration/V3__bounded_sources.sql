-- Where a data centre's figures and its PUE rows come from is bounded like every text the service stores
-- (Limits.MAX_SOURCE_LENGTH, 4096 characters): the API refuses longer ones with 400 naming the field, and
-- ColumnLimitsTest compares these columns with that limit.
ALTER TABLE datacenter ALTER COLUMN source TYPE VARCHAR(4096) USING left(source, 4096);
ALTER TABLE datacenter_pue ALTER COLUMN source TYPE VARCHAR(4096) USING left(source, 4096);
