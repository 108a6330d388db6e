-- Full-text search over search_documents (src/store/search-repo.ts). The terms in `body` are
-- made by src/domain/search-text.ts (words, and CJK text as overlapping character pairs), so
-- unicode61 only splits them on the spaces; the trigram tokenizer would not match two-character
-- Chinese queries. External content: the text is stored once, in search_documents, and these
-- triggers keep the index equal to it in the same transaction as every write.
-- The existing messages and customers are indexed by the store when it opens (search-backfill.ts):
-- their terms are computed in TypeScript, which SQL cannot do.
CREATE VIRTUAL TABLE `search_fts` USING fts5(body, content='search_documents', content_rowid='seq', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE TRIGGER `search_documents_ai` AFTER INSERT ON `search_documents` BEGIN
  INSERT INTO `search_fts`(rowid, body) VALUES (new.seq, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_ad` AFTER DELETE ON `search_documents` BEGIN
  INSERT INTO `search_fts`(`search_fts`, rowid, body) VALUES ('delete', old.seq, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_au` AFTER UPDATE ON `search_documents` BEGIN
  INSERT INTO `search_fts`(`search_fts`, rowid, body) VALUES ('delete', old.seq, old.body);
  INSERT INTO `search_fts`(rowid, body) VALUES (new.seq, new.body);
END;
