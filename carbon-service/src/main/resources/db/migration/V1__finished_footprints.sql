-- The final footprint of every finished or failed job, kept after the stream state is gone.
CREATE TABLE finished_footprint (
    job_id            VARCHAR(128) PRIMARY KEY,
    tenant            VARCHAR(128) NOT NULL,
    model             VARCHAR(256),
    job_state         VARCHAR(16)  NOT NULL,
    batches           BIGINT       NOT NULL,
    operational_g     NUMERIC      NOT NULL,
    embodied_g        NUMERIC      NOT NULL,
    footprint         TEXT         NOT NULL,
    archived_at       TIMESTAMPTZ  NOT NULL
);
CREATE INDEX finished_footprint_tenant ON finished_footprint (tenant);
