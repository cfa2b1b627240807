-- The CPUs each worker of a job uses: a hardware profile id of telemetry-service and a vCPU count.
ALTER TABLE job ADD COLUMN cpu_type VARCHAR(128);
ALTER TABLE job ADD COLUMN cpu_cores_per_worker INTEGER;
