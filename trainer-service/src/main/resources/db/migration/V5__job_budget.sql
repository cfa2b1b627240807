-- A job's carbon budget, g CO2e (optional); carbon-service alerts at 50, 80 and 100 % of it.
ALTER TABLE job ADD COLUMN co2e_budget_grams NUMERIC;
