-- A calibrated profile's relative range at a reported utilisation (docs/methodology.md, Uncertainty): the
-- measuring instrument's accuracy plus the fitted curve's largest relative residual over the samples, rounded up.
-- NULL means the model's default (Tolerances.MODEL, 40 %): every profile that was never calibrated.
ALTER TABLE hardware_profile ADD COLUMN tolerance NUMERIC(7, 6)
    CHECK (tolerance IS NULL OR (tolerance >= 0 AND tolerance <= 1));
