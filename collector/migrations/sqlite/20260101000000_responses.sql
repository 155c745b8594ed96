-- One row per survey response (payload v1). Portable SQL: this file must also run unchanged on
-- PostgreSQL, so times are RFC 3339 text and JSON is text rather than a dialect's JSON type.
CREATE TABLE responses (
    response_id      TEXT    NOT NULL PRIMARY KEY,
    received_at      TEXT    NOT NULL,
    survey_id        TEXT    NOT NULL,
    survey_version   BIGINT  NOT NULL,
    transaction_id   TEXT    NOT NULL,
    transaction_type TEXT    NOT NULL,
    transaction_unit TEXT    NOT NULL,
    satisfaction     INTEGER NOT NULL,
    reasons          TEXT    NOT NULL,
    comment          TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    submitted_at     TEXT    NOT NULL,
    page             TEXT    NOT NULL,
    widget_version   TEXT    NOT NULL,
    payload          TEXT    NOT NULL
);

-- The demo view and, later, reports read the newest responses first.
CREATE INDEX responses_received_at ON responses (received_at);
