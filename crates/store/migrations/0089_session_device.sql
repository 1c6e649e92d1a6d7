-- The browser and system a session was opened on, in words (`Chrome 142 · Linux`), for the
-- list of one's sessions; never the raw User-Agent header.
ALTER TABLE session ADD COLUMN device TEXT;
