-- Finding a case by words (helpline_shared::case_search): an FTS5 index of
-- each case's terms, rowid = the case's id. The Worker writes a case's terms
-- in its intake batch, cut by case_search::index_terms (stems, and Chinese as
-- characters and pairs), since FTS5's own tokenizer cuts neither.
CREATE VIRTUAL TABLE case_search USING fts5 (
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Cases stored before the index existed, as their raw words: found by the
-- start of each word (which is how queries match), Chinese not by its parts.
INSERT INTO case_search (rowid, title, body)
SELECT id, lower(title),
       lower(description || ' ' || reporter_id || ' ' || COALESCE(reporter_name, '') || ' '
             || COALESCE(reporter_email, ''))
FROM cases;
