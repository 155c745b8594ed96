-- Published survey definitions (issue 3).
-- The PostgreSQL twin of migrations/sqlite/: the same statements, text columns COLLATE "C".
--
-- One row per published version of a survey definition. Versions are only ever inserted:
-- an old version never changes, so responses that name it can always be checked and read.
CREATE TABLE survey_versions (
    survey_id    TEXT COLLATE "C" NOT NULL,
    version      BIGINT NOT NULL,
    definition   TEXT COLLATE "C" NOT NULL,
    author       TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (survey_id, version)
);
