-- Preferences the server needs without the person's keys: which country's crisis lines to show
-- (ISO 3166-1 alpha-2, none for "show all") and the first day of their week (1 = Monday … 7 =
-- Sunday) for weekly goals and reviews. Neither reveals anything about what they write.
ALTER TABLE users ADD COLUMN country TEXT;
ALTER TABLE users ADD COLUMN week_start SMALLINT NOT NULL DEFAULT 1;
