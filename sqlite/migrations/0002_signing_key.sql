-- 0002_signing_key: the deployment's token signing key, kept in the database
-- so that every process accepts the tokens minted by any other. A PostgreSQL
-- store keeps a twin of this file under the same name.
--
-- One row, id 1: the key as PKCS#8 PEM bytes, opaque to the store.

CREATE TABLE signing_key (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    key        BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
