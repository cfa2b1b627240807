-- Seed catalog (version 1 of each profile). Max watts = the manufacturer's TDP / max board power.
INSERT INTO hardware_profile (id, version, kind, name, idle_watts, max_watts, sources) VALUES
('nvidia-a100-sxm4-40gb', 1, 'ACCELERATOR', 'NVIDIA A100 SXM4 40 GB', 50, 400, 'TBD');
