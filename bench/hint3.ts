/**
 * HINT3 (../shared/datasets/hint3, ODbL / DbCL, Arora et al. 2020): three real customer-service
 * bots, each with a full and a subset training set and one test set of real user queries, many
 * of them out of scope (`NO_NODES_DETECTED`). There is no validation split, so the engine runs at
 * the threshold it calibrates on the training sentences themselves; the test set is asked once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, type Run } from './datasets.js';

export const HINT3_BOTS = ['sofmattress', 'curekart', 'powerplay11'] as const;
export const HINT3_PLATFORMS = ['bert', 'dialogflow', 'rasa', 'luis', 'haptik'] as const;
const OOS = 'NO_NODES_DETECTED';

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(datasetsDir(), 'hint3', path), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export function hint3Run(bot: string, subset: boolean): Run {
  const entries = new Map<string, string[]>();
  for (const r of readCsv(`train/${bot}${subset ? '_subset' : ''}_train.csv`)) {
    entries.set(r.label!, [...(entries.get(r.label!) ?? []), r.sentence!]);
  }
  const questions = readCsv(`test/${bot}_test.csv`).map((r) => ({ text: r.sentence!, intent: r.label === OOS ? null : r.label! }));
  return { entries, questions };
}

export interface PlatformRow {
  platform: string;
  threshold: number;
  accuracy: number;
  inScope: number;
  oosRecall: number;
  mcc: number;
}

/** Each platform's row with the highest MCC (thresholds 0.1…0.9, chosen on the test set by the paper's tables). */
export function bestPlatformRows(bot: string, subset: boolean): PlatformRow[] {
  return HINT3_PLATFORMS.map((platform) => {
    const rows = readCsv(`results/${platform}_${bot}${subset ? '_subset' : ''}.csv`).map((r) => ({
      platform,
      threshold: Number(r.Threshold),
      accuracy: Number(r.Accuracy),
      inScope: Number(r['Inscope Accuracy']),
      oosRecall: Number(r['OOS Recall']),
      mcc: Number(r.MCC),
    }));
    return rows.reduce((a, b) => (b.mcc > a.mcc ? b : a));
  });
}
