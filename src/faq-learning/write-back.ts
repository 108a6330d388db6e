/**
 * Writes approved suggestions back into the knowledge-base files, which stay the source of truth:
 * a new example question goes into an entry's front matter (comments and the answer kept as they
 * are), a new entry becomes one `<locale>/<id>.md` per language. Each write is a temp file renamed
 * into place, and the whole knowledge base is loaded again, in a worker thread, before the change
 * is kept: if it no longer loads cleanly (a question another entry already asks, an entry missing
 * in another locale), every file is put back as it was and the approval is refused with the
 * problems.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { isSeq, parseDocument, stringify } from 'yaml';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { ENTRY_ID } from '../faq/entry.js';
import type { EngineOptions } from '../faq/faq-index.js';
import { loadFaqInWorker } from '../faq/load-in-worker.js';
import type { LoadedFaq } from '../faq/load-faq.js';
import { normalize } from '../faq/normalize.js';

const LOCALE = /^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/;

/** The file of entry `id` in `locale`, refusing anything that is not a plain name inside `dir`. */
export function entryPath(dir: string, locale: string, id: string): string {
  if (!LOCALE.test(locale)) throw new ValidationError(`locale: "${locale}" is not a locale folder name`, 'locale');
  if (!ENTRY_ID.test(id)) throw new ValidationError(`id: "${id}" must be lower-case letters, digits, "-" or "_"`, 'id');
  const root = resolve(dir);
  const path = resolve(root, locale, `${id}.md`);
  if (!path.startsWith(root + sep)) throw new ValidationError(`id: "${id}" would leave the FAQ directory`, 'id');
  return path;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The front matter and the rest of an entry file, split at the closing `---` line. */
function splitEntry(source: string, path: string): { head: string; yaml: string; rest: string } {
  const lines = source.split('\n');
  const open = lines[0]?.replace(/^\uFEFF/, '').trim();
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (open !== '---' || close < 0) throw new ConflictError(`${path} has no front matter to add the question to`);
  return { head: lines[0]!, yaml: lines.slice(1, close).join('\n'), rest: lines.slice(close).join('\n') };
}

/**
 * `source` with `question` appended to its `questions` list, unchanged when the entry already
 * asks it. A block list gets one new line after its last item, so every other byte of the file
 * (comments, other keys' style, the answer) stays as it was; a flow list (`[a, b]`) is rewritten.
 */
export function withExampleQuestion(source: string, question: string, path: string): string {
  const { head, yaml, rest } = splitEntry(source, path);
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) throw new ConflictError(`${path} has invalid front matter: ${doc.errors[0]!.message}`);
  const questions = doc.get('questions', true);
  if (!isSeq(questions)) throw new ConflictError(`${path} has no questions list`);
  const known = (doc.toJS() as { questions: unknown[] }).questions.map((q) => normalize(String(q)));
  if (known.includes(normalize(question))) return source;
  const last = questions.items.at(-1) as { range?: [number, number, number] } | undefined;
  let updated: string;
  if (questions.flow || !last?.range) {
    questions.add(doc.createNode(question));
    updated = doc.toString().replace(/\n$/, '');
  } else {
    const lineStart = yaml.lastIndexOf('\n', last.range[0]) + 1;
    const indent = /^\s*-\s*/.exec(yaml.slice(lineStart))?.[0] ?? '  - ';
    const lineEnd = yaml.indexOf('\n', Math.max(last.range[1] - 1, lineStart));
    const at = lineEnd < 0 ? yaml.length : lineEnd;
    const item = stringify(question, { lineWidth: 0 }).trimEnd();
    updated = `${yaml.slice(0, at)}\n${indent}${item}${yaml.slice(at)}`;
  }
  return `${head}\n${updated}\n${rest}`;
}

export function newEntryFile(id: string, question: string, answer: string): string {
  return `---\n${stringify({ id, questions: [question] })}---\n${answer.trim()}\n`;
}

/** One language's version of a new entry. */
export interface EntryVersion {
  locale: string;
  question: string;
  answer: string;
}

export class FaqWriter {
  constructor(
    readonly dir: string,
    private readonly engine: Partial<EngineOptions> = {},
  ) {}

  /** Adds an example question to an existing entry; returns the reloaded matcher. */
  async addExample(locale: string, id: string, question: string): Promise<LoadedFaq['matcher']> {
    const path = entryPath(this.dir, locale, id);
    const before = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new NotFoundError(`FAQ entry "${id}" has no ${locale} file`);
      throw err;
    });
    return this.replace([{ path, before, text: withExampleQuestion(before, question, path) }]);
  }

  /** The knowledge base's locale folders: a new entry needs a version in each. */
  async locales(): Promise<string[]> {
    const items = await readdir(resolve(this.dir), { withFileTypes: true });
    return items
      .filter((i) => i.isDirectory() && LOCALE.test(i.name))
      .map((i) => i.name)
      .sort();
  }

  /**
   * Creates entry `id` with one file per version (one per locale folder, as `faq check` requires);
   * refused when a locale is missing or a file already exists.
   */
  async createEntry(id: string, versions: EntryVersion[]): Promise<LoadedFaq['matcher']> {
    const locales = await this.locales();
    for (const v of versions) {
      if (!locales.includes(v.locale)) throw new ValidationError(`locale: the FAQ has no ${v.locale} folder`, 'locale');
    }
    const missing = locales.filter((l) => !versions.some((v) => v.locale === l));
    if (missing.length > 0) {
      throw new ValidationError(
        `translations: the FAQ is also written in ${missing.join(', ')}; give ${missing.map((l) => `translations.${l}`).join(', ')} with a question and an answer`,
        'translations',
      );
    }
    const files = versions.map((v) => ({ path: entryPath(this.dir, v.locale, id), text: newEntryFile(id, v.question, v.answer) }));
    for (const f of files) {
      if (await stat(f.path).catch(() => undefined)) throw new ConflictError(`FAQ entry "${id}" already exists (${f.path})`);
    }
    return this.replace(files.map((f) => ({ ...f, before: undefined })));
  }

  /** Writes every file, keeps them only if the whole knowledge base still loads cleanly. */
  private async replace(files: { path: string; before: string | undefined; text: string }[]): Promise<LoadedFaq['matcher']> {
    const written: typeof files = [];
    try {
      for (const f of files) {
        await writeAtomically(f.path, f.text);
        written.push(f);
      }
      // Built off the main thread, as a hot reload is: the bot keeps answering meanwhile.
      const loaded = await loadFaqInWorker(this.dir, this.engine);
      if (loaded.matcher && loaded.errors.length === 0) return loaded.matcher;
      throw new ConflictError(`the knowledge base would not load with this change:\n${loaded.errors.join('\n')}`);
    } catch (err) {
      for (const f of written) {
        if (f.before === undefined) await rm(f.path, { force: true });
        else await writeAtomically(f.path, f.before);
      }
      throw err;
    }
  }
}
