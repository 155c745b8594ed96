-- One response per survey and transaction: a customer rates a transaction once. The unique
-- index, not a SELECT before the INSERT, enforces it, so two concurrent requests cannot both
-- win. Portable SQL (SQLite and PostgreSQL).
--
-- Databases created before this migration may already hold several responses for one
-- transaction. The first received is kept in `responses`; the later ones move, unchanged, to
-- `superseded_responses`, so that creating the index cannot fail and nothing is lost.
CREATE TABLE superseded_responses (
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

INSERT INTO superseded_responses (response_id, received_at, survey_id, survey_version,
    transaction_id, transaction_type, transaction_unit, satisfaction, reasons, comment, locale,
    submitted_at, page, widget_version, payload)
SELECT later.response_id, later.received_at, later.survey_id, later.survey_version,
    later.transaction_id, later.transaction_type, later.transaction_unit, later.satisfaction,
    later.reasons, later.comment, later.locale, later.submitted_at, later.page,
    later.widget_version, later.payload
FROM responses later
WHERE EXISTS (
    SELECT 1 FROM responses earlier
    WHERE earlier.survey_id = later.survey_id
      AND earlier.transaction_id = later.transaction_id
      AND (earlier.received_at < later.received_at
           OR (earlier.received_at = later.received_at
               AND earlier.response_id < later.response_id))
);

DELETE FROM responses
WHERE response_id IN (SELECT response_id FROM superseded_responses);

CREATE UNIQUE INDEX responses_one_per_transaction ON responses (survey_id, transaction_id);
