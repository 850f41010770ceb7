"""The store's schema as an ordered list of recorded migrations.

Each migration is applied once, inside a transaction, and recorded in the
``migrations`` table (modelled on sqlite-utils' ``Migrations``).  Never edit a
migration that has shipped: append a new one.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["MIGRATIONS", "Migration"]


class Migration(NamedTuple):
    id: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", """
        CREATE TABLE documents (
            id VARCHAR PRIMARY KEY,
            fingerprint VARCHAR NOT NULL,
            path VARCHAR,
            url VARCHAR,
            format VARCHAR,
            errors JSON
        );
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            title VARCHAR,
            authors JSON,
            publisher VARCHAR,
            original_publisher VARCHAR,
            published VARCHAR,
            original_published VARCHAR,
            language VARCHAR,
            tags JSON,
            links JSON,
            media JSON,
            genre VARCHAR,
            text VARCHAR,
            boilerplate JSON,
            cluster VARCHAR,
            canonical_url VARCHAR,
            provenance JSON,
            source_rating DOUBLE,
            record JSON
        );
        CREATE TABLE actors (
            doc_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR,
            start INTEGER,
            "end" INTEGER,
            name VARCHAR,
            country VARCHAR,
            sector VARCHAR,
            wikidata VARCHAR,
            ethnicity VARCHAR,
            kind VARCHAR,
            PRIMARY KEY (doc_id, idx)
        );
        CREATE TABLE places (
            doc_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR,
            start INTEGER,
            "end" INTEGER,
            name VARCHAR,
            country VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            geonameid BIGINT,
            PRIMARY KEY (doc_id, idx)
        );
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            type VARCHAR NOT NULL,
            mode VARCHAR,
            contexts JSON,
            cameo VARCHAR,
            quad_class INTEGER,
            goldstein DOUBLE,
            plover_score DOUBLE,
            location JSON,
            location_country VARCHAR,
            date DATE,
            modality VARCHAR,
            quote VARCHAR,
            start INTEGER,
            "end" INTEGER,
            confidence DOUBLE,
            cluster VARCHAR,
            published DATE,
            record JSON
        );
        CREATE TABLE event_actors (
            event_id VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR,
            name VARCHAR,
            country VARCHAR,
            sector VARCHAR,
            PRIMARY KEY (event_id, role, idx)
        );
        CREATE TABLE framing (
            doc_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            technique VARCHAR,
            quote VARCHAR,
            start INTEGER,
            "end" INTEGER,
            confidence DOUBLE,
            why VARCHAR,
            PRIMARY KEY (doc_id, idx)
        );
        CREATE TABLE clusters (
            id VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL,
            PRIMARY KEY (id, doc_id)
        );
        CREATE TABLE runs (
            id VARCHAR PRIMARY KEY,
            started VARCHAR,
            finished VARCHAR,
            command VARCHAR,
            inputs JSON,
            documents INTEGER,
            failed INTEGER,
            events INTEGER,
            errors JSON,
            versions JSON,
            status VARCHAR
        );
        CREATE INDEX events_doc ON events(doc_id);
        CREATE INDEX events_date ON events(date);
        CREATE INDEX event_actors_country ON event_actors(country);
    """),
    Migration(2, "corpus memory and source hashes", """
        ALTER TABLE documents ADD COLUMN source_hash VARCHAR;
        CREATE TABLE cluster_signatures (
            fingerprint VARCHAR PRIMARY KEY,
            cluster VARCHAR NOT NULL,
            seq BIGINT NOT NULL,
            minhash BLOB NOT NULL,
            shingles BLOB NOT NULL
        );
        CREATE TABLE site_template_docs (
            site VARCHAR NOT NULL,
            block_hash VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL,
            sample VARCHAR,
            PRIMARY KEY (site, block_hash, doc_id)
        );
    """),
    # The per-document child tables lose their composite primary keys. ``Store.write`` deletes a
    # document's children before inserting them, so the keys never guarded anything, but DuckDB
    # keeps every primary-key index in memory that its buffer pool cannot evict: with them a
    # 64MB [store] memory_limit ran out after 27,000 documents, without them 51,000 went through
    # (docs/scale.md, run 6). The rows are copied unchanged; NOT NULL stays.
    Migration(3, "child tables without composite keys", """
        DROP INDEX event_actors_country;
        CREATE TABLE actors_3 (
            doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR, start INTEGER, "end" INTEGER,
            name VARCHAR, country VARCHAR, sector VARCHAR, wikidata VARCHAR, ethnicity VARCHAR, kind VARCHAR
        );
        INSERT INTO actors_3 SELECT * FROM actors;
        DROP TABLE actors;
        ALTER TABLE actors_3 RENAME TO actors;
        CREATE TABLE places_3 (
            doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR, start INTEGER, "end" INTEGER,
            name VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, geonameid BIGINT
        );
        INSERT INTO places_3 SELECT * FROM places;
        DROP TABLE places;
        ALTER TABLE places_3 RENAME TO places;
        CREATE TABLE event_actors_3 (
            event_id VARCHAR NOT NULL, role VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR,
            name VARCHAR, country VARCHAR, sector VARCHAR
        );
        INSERT INTO event_actors_3 SELECT * FROM event_actors;
        DROP TABLE event_actors;
        ALTER TABLE event_actors_3 RENAME TO event_actors;
        CREATE INDEX event_actors_country ON event_actors(country);
        CREATE TABLE framing_3 (
            doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, technique VARCHAR, quote VARCHAR, start INTEGER,
            "end" INTEGER, confidence DOUBLE, why VARCHAR
        );
        INSERT INTO framing_3 SELECT * FROM framing;
        DROP TABLE framing;
        ALTER TABLE framing_3 RENAME TO framing;
        CREATE TABLE clusters_3 (id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL);
        INSERT INTO clusters_3 SELECT * FROM clusters;
        DROP TABLE clusters;
        ALTER TABLE clusters_3 RENAME TO clusters;
    """),
)
