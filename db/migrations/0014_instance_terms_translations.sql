-- 0014_instance_terms_translations: the terms of use per portal language,
-- a JSON object {"de": "...", "fr": "..."}; terms_text stays the default
-- for every other language.

ALTER TABLE instances ADD COLUMN terms_translations TEXT NOT NULL DEFAULT '{}';
