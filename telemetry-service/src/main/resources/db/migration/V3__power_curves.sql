-- A fitted power curve: JSON array of [utilization, watts] points from u = 0 to u = 1, interpolated linearly.
-- NULL means the straight line from idle_watts to max_watts.
ALTER TABLE hardware_profile ADD COLUMN curve TEXT;

-- Node overhead beyond the accelerators (CPUs, memory, fans, NICs, disks, PSU losses) of an 8-GPU server.
-- Use it for jobs that report neither cpuType nor memoryGb, or it counts those twice.
INSERT INTO hardware_profile (id, version, kind, name, idle_watts, max_watts, sources) VALUES
('host-8gpu-server', 1, 'HOST', '8-GPU server without its GPUs (per node)', 1200, 1200,
 'EcoLogits methodology, docs/methodology/llm_inference.md (genai-impact/ecologits @ 2d0a1c76): server power excluding GPUs of an 8-GPU node, 1.2 kW');
