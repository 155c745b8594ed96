-- Published survey definitions (issue 3).
-- Portable SQL (SQLite and PostgreSQL).
--
-- One row per published version of a survey definition. Versions are only ever inserted:
-- an old version never changes, so responses that name it can always be checked and read.
CREATE TABLE survey_versions (
    survey_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    definition   TEXT NOT NULL,
    author       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, version)
);
