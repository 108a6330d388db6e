/**
 * Parses one `faq/<locale>/<id>.md` file: YAML front matter between `---` lines, then the
 * answer. Problems carry the line they are on, counted in the whole file.
 */
import { LineCounter, parseDocument, isMap } from 'yaml';
import { frontMatterSchema, type FaqEntry, type FaqProblem } from './entry.js';

export interface ParsedEntry {
  entry: FaqEntry;
  idLine: number;
  questionLines: number[];
}

export function parseEntryFile(
  path: string,
  locale: string,
  fileId: string,
  source: string,
): { parsed?: ParsedEntry; problems: FaqProblem[] } {
  const problems: FaqProblem[] = [];
  const fail = (line: number, message: string) => {
    problems.push({ path, line, message });
    return { problems };
  };
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return fail(1, 'missing front matter: the file must start with a "---" line');
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0) return fail(1, 'front matter is not closed by a "---" line');

  // Front matter starts on file line 2; the YAML parser counts from 1.
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line + 1);
  const counter = new LineCounter();
  const doc = parseDocument(lines.slice(1, close).join('\n'), { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push({ path, line: lineOf(e.pos[0]), message: `invalid YAML: ${e.message}` });
    return { problems };
  }
  if (!isMap(doc.contents)) return fail(2, 'front matter must be a mapping with id and questions');

  const result = frontMatterSchema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      problems.push({ path, line: node?.range ? lineOf(node.range[0]) : 1, message: issue.message });
    }
    return { problems };
  }
  const fm = result.data;
  const idLine = lineOf((doc.getIn(['id'], true) as { range?: number[] }).range?.[0]);
  if (fm.id !== fileId) problems.push({ path, line: idLine, message: `id "${fm.id}" does not match the file name "${fileId}.md"` });

  const answer = lines
    .slice(close + 1)
    .join('\n')
    .trim();
  if (!answer) problems.push({ path, line: close + 2, message: 'the answer (the text after the front matter) is empty' });

  const questionLines = fm.questions.map((_, i) =>
    lineOf((doc.getIn(['questions', i], true) as { range?: number[] } | undefined)?.range?.[0]),
  );
  if (problems.length > 0) return { problems };
  return {
    parsed: {
      entry: { id: fm.id, locale, questions: fm.questions, answer, tags: fm.tags, team: fm.team, path },
      idLine,
      questionLines,
    },
    problems,
  };
}
