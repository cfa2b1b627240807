-- The progress of the runs trainer-service produces itself (built-in training, replays), as the instance that runs
-- each records it (at most a second behind), so that every instance can answer GET /trainer/runs/{id} and
-- GET /replays/{id}.
CREATE TABLE job_run (
    job_id      VARCHAR(128) PRIMARY KEY REFERENCES job (id),
    kind        VARCHAR(16)  NOT NULL,
    progress    TEXT         NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
