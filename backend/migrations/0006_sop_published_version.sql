-- What users read of an SOP article is one version of it, chosen by a lead:
-- an edit of a published article is a new version that waits as a draft, and
-- readers keep the published one until a lead publishes the edit.
-- `published_ms`: when the published set last changed for this article (the
-- index's ETag follows it).
ALTER TABLE sop_articles ADD COLUMN published_version INTEGER;
ALTER TABLE sop_articles ADD COLUMN published_ms INTEGER;
UPDATE sop_articles SET published_version = version, published_ms = updated_ms WHERE published = 1;
