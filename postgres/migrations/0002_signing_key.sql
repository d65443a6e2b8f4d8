-- 0002_signing_key: the deployment's token signing key, kept in the database
-- so that every node accepts the tokens minted by any other. The twin of
-- sqlite/migrations/0002_signing_key.sql.
--
-- One row, id 1: the key as PKCS#8 PEM bytes, opaque to the store.

CREATE TABLE signing_key (
    id         smallint    NOT NULL PRIMARY KEY CHECK (id = 1),
    key        bytea       NOT NULL,
    created_at timestamptz NOT NULL
);
