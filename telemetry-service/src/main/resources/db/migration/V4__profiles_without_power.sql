-- A profile may name a device whose power nobody publishes: idle_watts and max_watts are then both NULL, and the
-- profile has no power model until it is given figures (PUT /hardware/{id}) or calibrated from measurements
-- (POST /hardware/{id}/calibration). Batches that need its power are dead-lettered with that reason, never zero.
ALTER TABLE hardware_profile ALTER COLUMN idle_watts DROP NOT NULL;
ALTER TABLE hardware_profile ALTER COLUMN max_watts DROP NOT NULL;
ALTER TABLE hardware_profile ADD CONSTRAINT hardware_profile_watts_both_or_neither
    CHECK ((idle_watts IS NULL) = (max_watts IS NULL));
ALTER TABLE hardware_profile ADD CONSTRAINT hardware_profile_curve_needs_watts
    CHECK (curve IS NULL OR idle_watts IS NOT NULL);

-- A catalog where someone already added google-tpu-v5e (with figures and a source) keeps it as it is.
INSERT INTO hardware_profile (id, version, kind, name, idle_watts, max_watts, sources)
SELECT 'google-tpu-v5e', 1, 'ACCELERATOR', 'Google TPU v5e (per chip)', NULL, NULL,
 'device: 197 TFLOP/s bf16, 393 TOP/s int8, 16 GB HBM2 at 819 GB/s per chip, Google Cloud TPU v5e documentation (cloud.google.com/tpu/docs/v5e). power: not published. Google''s TPU v5e documentation and system-architecture pages give no per-chip power or TDP, and the comparison table of Wikipedia''s "Tensor Processing Unit" article lists the v5e TDP as "Not listed"; carbonstream does not guess one. Give it figures with PUT /hardware/google-tpu-v5e and their source, or calibrate it with POST /hardware/google-tpu-v5e/calibration'
WHERE NOT EXISTS (SELECT 1 FROM hardware_profile WHERE id = 'google-tpu-v5e');
