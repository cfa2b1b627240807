-- Market-based Scope 2 (GHG Protocol Scope 2 Guidance, 2015): a data centre's contractual instruments over time, and
-- each zone's residual mix. docs/methodology.md, "Market-based Scope 2".
CREATE TABLE contractual_instrument (
    id             VARCHAR(128)  PRIMARY KEY,
    datacenter_id  VARCHAR(128)  NOT NULL REFERENCES datacenter (id),
    kind           VARCHAR(16)   NOT NULL CHECK (kind IN ('EAC', 'PPA', 'SUPPLIER')),
    valid_from     TIMESTAMPTZ   NOT NULL,
    valid_to       TIMESTAMPTZ   NOT NULL CHECK (valid_to > valid_from),
    -- the share of the data centre's consumption the instrument covers; none for a supplier's factor, which applies
    -- to all consumption no certificate or PPA covers
    share          NUMERIC(7,6)  CHECK (share > 0 AND share <= 1),
    g_co2e_per_kwh NUMERIC(10,3) NOT NULL CHECK (g_co2e_per_kwh >= 0),
    source         VARCHAR(4096) NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CHECK ((kind = 'SUPPLIER') = (share IS NULL))
);
CREATE INDEX contractual_instrument_datacenter ON contractual_instrument (datacenter_id, valid_from);

-- A zone's residual mix from valid_from until its next row: the factor of consumption no instrument covers.
CREATE TABLE residual_mix (
    zone           VARCHAR(64)   NOT NULL,
    valid_from     TIMESTAMPTZ   NOT NULL,
    g_co2e_per_kwh NUMERIC(10,3) NOT NULL CHECK (g_co2e_per_kwh >= 0),
    source         VARCHAR(4096) NOT NULL,
    PRIMARY KEY (zone, valid_from)
);
