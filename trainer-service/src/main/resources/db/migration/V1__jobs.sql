-- Training jobs registered with trainer-service.
CREATE TABLE job (
    id                      VARCHAR(128) PRIMARY KEY,
    tenant                  VARCHAR(128) NOT NULL,
    name                    VARCHAR(256) NOT NULL,
    model                   VARCHAR(256),
    model_parameters        BIGINT,
    phase                   VARCHAR(16)  NOT NULL,
    accelerator_type        VARCHAR(128),
    accelerators_per_worker INTEGER      NOT NULL,
    workers                 INTEGER      NOT NULL,
    datacenter              VARCHAR(128) NOT NULL,
    planned_steps           BIGINT,
    planned_tokens          BIGINT,
    state                   VARCHAR(16)  NOT NULL,
    created_at              TIMESTAMPTZ  NOT NULL,
    started_at              TIMESTAMPTZ  NOT NULL,
    finished_at             TIMESTAMPTZ
);
CREATE INDEX job_tenant_created ON job (tenant, created_at);
