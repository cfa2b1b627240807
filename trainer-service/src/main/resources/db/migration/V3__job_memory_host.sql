-- Host memory and node overhead of each worker (hardware profile ids of telemetry-service).
ALTER TABLE job ADD COLUMN memory_gb_per_worker DOUBLE PRECISION;
ALTER TABLE job ADD COLUMN memory_type VARCHAR(128);
ALTER TABLE job ADD COLUMN host_type VARCHAR(128);
ALTER TABLE job ADD COLUMN host_nodes_per_worker DOUBLE PRECISION;
