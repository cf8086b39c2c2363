CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE orders (
    id          UUID PRIMARY KEY,
    customer_id TEXT        NOT NULL,
    status      order_status NOT NULL DEFAULT 'pending',
    currency    CHAR(3)     NOT NULL,
    -- ADR-0002: integer cents, never NUMERIC/FLOAT in application code paths
    total_cents BIGINT      NOT NULL CHECK (total_cents >= 0),
    items       JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX orders_created_at_idx ON orders (created_at DESC);
