/**
 * Writes approved suggestions back into the knowledge-base files, which stay the source of truth:
 * a new example question goes into an entry's front matter (comments and the answer kept as they
 * are), a new entry becomes a new `<locale>/<id>.md`. Each write is a temp file renamed into place,
 * and the whole knowledge base is loaded again before the change is kept: if it no longer loads
 * cleanly (a question another entry already asks, an entry missing in another locale), the file
 * is put back as it was and the approval is refused with the problems.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { isSeq, parseDocument, stringify } from 'yaml';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { ENTRY_ID } from '../faq/entry.js';
import type { EngineOptions } from '../faq/faq-index.js';
import { loadFaq, type LoadedFaq } from '../faq/load-faq.js';
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
    return this.replace(path, before, withExampleQuestion(before, question, path));
  }

  /** Creates entry `id` in `locale`; refused when the file already exists. */
  async createEntry(locale: string, id: string, question: string, answer: string): Promise<LoadedFaq['matcher']> {
    const path = entryPath(this.dir, locale, id);
    const folder = await stat(join(resolve(this.dir), locale)).catch(() => undefined);
    if (!folder?.isDirectory()) throw new ValidationError(`locale: the FAQ has no ${locale} folder`, 'locale');
    if (await stat(path).catch(() => undefined)) throw new ConflictError(`FAQ entry "${id}" already exists in ${locale}`);
    return this.replace(path, undefined, newEntryFile(id, question, answer));
  }

  private async replace(path: string, before: string | undefined, after: string): Promise<LoadedFaq['matcher']> {
    await writeAtomically(path, after);
    const loaded = await loadFaq(this.dir, this.engine);
    if (loaded.errors.length === 0) return loaded.matcher;
    if (before === undefined) await rm(path, { force: true });
    else await writeAtomically(path, before);
    throw new ConflictError(`the knowledge base would not load with this change:\n${loaded.errors.join('\n')}`);
  }
}
