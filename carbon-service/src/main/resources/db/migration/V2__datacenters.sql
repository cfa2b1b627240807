-- Data centres and their PUE over time. A PUE row holds from valid_from until the next row of the data centre.
-- Seeded at first start from the cited table carbonstream/datacenters.csv.
CREATE TABLE datacenter (
    id          VARCHAR(128) PRIMARY KEY,
    zone        VARCHAR(64)  NOT NULL,
    name        VARCHAR(256),
    source      TEXT         NOT NULL,
    retired     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE TABLE datacenter_pue (
    datacenter_id VARCHAR(128) NOT NULL REFERENCES datacenter (id),
    valid_from    TIMESTAMPTZ  NOT NULL,
    pue           NUMERIC(6,3) NOT NULL CHECK (pue >= 1),
    source        TEXT         NOT NULL,
    PRIMARY KEY (datacenter_id, valid_from)
);
