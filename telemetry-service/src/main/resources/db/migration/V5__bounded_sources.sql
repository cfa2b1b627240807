-- A profile's sources are bounded like every text the service stores (Limits.MAX_SOURCE_LENGTH, 4096 characters):
-- the API refuses longer ones with 400 naming the field, and ColumnLimitsTest compares this column with that limit.
ALTER TABLE hardware_profile ALTER COLUMN sources TYPE VARCHAR(4096) USING left(sources, 4096);
