-- One row per survey response (payload v1): the PostgreSQL twin of migrations/sqlite/ with the
-- same columns. Times are RFC 3339 text and JSON is text, as on SQLite; every text column is
-- COLLATE "C" so that it compares and sorts by code point (byte order in UTF-8), exactly as
-- SQLite compares text, whatever the database's default locale.
CREATE TABLE responses (
    response_id      TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
    received_at      TEXT    COLLATE "C" NOT NULL,
    survey_id        TEXT    COLLATE "C" NOT NULL,
    survey_version   BIGINT  NOT NULL,
    transaction_id   TEXT    COLLATE "C" NOT NULL,
    transaction_type TEXT    COLLATE "C" NOT NULL,
    transaction_unit TEXT    COLLATE "C" NOT NULL,
    satisfaction     INTEGER NOT NULL,
    reasons          TEXT    COLLATE "C" NOT NULL,
    comment          TEXT    COLLATE "C" NOT NULL,
    locale           TEXT    COLLATE "C" NOT NULL,
    submitted_at     TEXT    COLLATE "C" NOT NULL,
    page             TEXT    COLLATE "C" NOT NULL,
    widget_version   TEXT    COLLATE "C" NOT NULL,
    payload          TEXT    COLLATE "C" NOT NULL
);

-- The demo view and, later, reports read the newest responses first.
CREATE INDEX responses_received_at ON responses (received_at);
