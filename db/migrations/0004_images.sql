-- 0004_images: the logo and icon of each instance. The bytes live in the
-- database, so a backup of the file is a backup of the branding too.
-- Format and dimensions are checked (app.NewImage) before a row is written.

CREATE TABLE instance_images (
    instance_id  TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    type         TEXT    NOT NULL CHECK (type IN ('logo', 'icon')),
    content_type TEXT    NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL, -- hex; its prefix versions the image's links
    data         BLOB    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (instance_id, type)
) STRICT;
