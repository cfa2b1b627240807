-- Hardware power profiles. Every change inserts a new version; older versions stay, so an energy event can
-- always be traced to the exact figures it used. The current profile of an id is its highest version.
CREATE TABLE hardware_profile (
    id          VARCHAR(128)  NOT NULL,
    version     INTEGER       NOT NULL,
    kind        VARCHAR(16)   NOT NULL CHECK (kind IN ('ACCELERATOR', 'CPU', 'MEMORY', 'HOST')),
    name        VARCHAR(256)  NOT NULL,
    idle_watts  NUMERIC(12,3) NOT NULL CHECK (idle_watts >= 0),
    max_watts   NUMERIC(12,3) NOT NULL CHECK (max_watts >= idle_watts),
    sources     TEXT          NOT NULL,
    retired     BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);
