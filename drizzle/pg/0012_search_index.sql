-- Full-text search over search_documents (src/store/search-repo.ts). The terms in `body` are
-- made by src/domain/search-text.ts (words, and CJK text as overlapping character pairs), so the
-- 'simple' configuration only splits them on the spaces and lower-cases; queries are tsquery
-- terms matched through this GIN index, never a scan of the text.
-- The existing messages and customers are indexed by the store when it opens (search-backfill.ts):
-- their terms are computed in TypeScript, which SQL cannot do.
CREATE INDEX "search_documents_terms" ON "search_documents" USING gin (to_tsvector('simple', "body"));
