-- A fitted power curve: JSON array of [utilization, watts] points from u = 0 to u = 1, interpolated linearly.
-- NULL means the straight line from idle_watts to max_watts.
ALTER TABLE hardware_profile ADD COLUMN curve TEXT;
