/**
 * Reads a knowledge-base directory (`<dir>/<locale>/<id>.md` and `<dir>/<locale>/synonyms.txt`)
 * and checks what no single file can: duplicate ids, a question shared by two entries, an
 * entry missing from one of the locales.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaqEntry, FaqProblem } from './entry.js';
import { normalize } from './normalize.js';
import { parseEntryFile, type ParsedEntry } from './parse-entry.js';
import { parseSynonyms, type SynonymRule } from './synonyms.js';

const LOCALE_DIR = /^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/;

export interface KnowledgeBase {
  entries: FaqEntry[];
  synonyms: Map<string, SynonymRule[]>;
  problems: FaqProblem[];
}

export async function loadEntries(dir: string): Promise<KnowledgeBase> {
  const problems: FaqProblem[] = [];
  const synonyms = new Map<string, SynonymRule[]>();
  const parsed: ParsedEntry[] = [];
  let locales: string[];
  try {
    const items = await readdir(dir, { withFileTypes: true });
    locales = items
      .filter((d) => d.isDirectory() && LOCALE_DIR.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (err) {
    return {
      entries: [],
      synonyms,
      problems: [{ path: dir, line: 1, message: `cannot read the FAQ directory: ${(err as Error).message}` }],
    };
  }

  for (const locale of locales) {
    const files = (await readdir(join(dir, locale))).sort();
    for (const file of files) {
      const path = join(dir, locale, file);
      if (file === 'synonyms.txt') {
        const result = parseSynonyms(await readFile(path, 'utf8'));
        synonyms.set(locale, result.rules);
        problems.push(...result.problems.map((p) => ({ path, ...p })));
      } else if (file.endsWith('.md')) {
        const result = parseEntryFile(path, locale, file.slice(0, -3), await readFile(path, 'utf8'));
        problems.push(...result.problems);
        if (result.parsed) parsed.push(result.parsed);
      }
    }
  }
  if (parsed.length === 0 && problems.length === 0) {
    problems.push({ path: dir, line: 1, message: 'no FAQ entries found (expected <locale>/<id>.md files)' });
  }
  problems.push(...crossChecks(parsed, locales, dir));
  return { entries: parsed.map((p) => p.entry), synonyms, problems };
}

function crossChecks(parsed: ParsedEntry[], locales: string[], dir: string): FaqProblem[] {
  const problems: FaqProblem[] = [];
  const byId = new Map<string, ParsedEntry>();
  const byQuestion = new Map<string, ParsedEntry>();
  for (const p of parsed) {
    const { entry } = p;
    const path = entry.path ?? entry.id;
    const idKey = `${entry.locale}\0${entry.id}`;
    const first = byId.get(idKey);
    if (first) problems.push({ path, line: p.idLine, message: `duplicate id "${entry.id}" (also in ${first.entry.path})` });
    else byId.set(idKey, p);

    entry.questions.forEach((q, i) => {
      const key = `${entry.locale}\0${normalize(q)}`;
      const other = byQuestion.get(key);
      if (other && other.entry.id !== entry.id) {
        problems.push({
          path,
          line: p.questionLines[i] ?? 1,
          message: `question "${q}" is also asked in entry "${other.entry.id}" (${other.entry.path})`,
        });
      } else byQuestion.set(key, p);
    });
  }
  if (locales.length > 1) {
    const present = new Map<string, ParsedEntry[]>();
    for (const p of parsed) present.set(p.entry.id, [...(present.get(p.entry.id) ?? []), p]);
    for (const [id, list] of present) {
      for (const locale of locales) {
        if (list.some((p) => p.entry.locale === locale)) continue;
        const p = list[0]!;
        problems.push({
          path: p.entry.path ?? id,
          line: p.idLine,
          message: `entry "${id}" has no ${locale} version (expected ${join(dir, locale, `${id}.md`)})`,
        });
      }
    }
  }
  return problems;
}
