import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { MAX_COMBINING_RUN } from '../../src/kit/clean-text.js';

/** The hostile inputs of this folder (see README.md), built into what is sent. */

interface Built {
  prefix: string;
  repeat: [string, number];
  suffix: string;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(join(import.meta.dirname, file), 'utf8')) as T;

export function corpusTexts(): { name: string; text: string }[] {
  return read<{ name: string; text?: string; repeat?: [string, number] }[]>('texts.json').map((i) => ({
    name: i.name,
    text: i.text ?? i.repeat![0].repeat(i.repeat![1]),
  }));
}

export function corpusNames(): { name: string; text: string }[] {
  return read<{ name: string; text: string }[]>('names.json');
}

export function corpusBodies(): { name: string; body: Uint8Array }[] {
  return read<{ name: string; json?: string; base64?: string; build?: Built }[]>('bodies.json').map((i) => {
    const text = i.json ?? (i.build ? i.build.prefix + i.build.repeat[0].repeat(i.build.repeat[1]) + i.build.suffix : undefined);
    return { name: i.name, body: text !== undefined ? Buffer.from(text) : Buffer.from(i.base64!, 'base64') };
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const MARK_RUN = new RegExp(`\\p{M}{${MAX_COMBINING_RUN + 1}}`, 'u');
const VISIBLE = /[^\s\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\u3164\u2800\u115F]/u;

/** What every stored text must be, whatever came in. */
export function expectSafeText(text: string, what: string): void {
  expect(LONE_SURROGATE.test(text), `${what}: lone surrogate`).toBe(false);
  expect(CONTROL.test(text), `${what}: control character`).toBe(false);
  expect(MARK_RUN.test(text), `${what}: combining-mark run`).toBe(false);
  expect(VISIBLE.test(text), `${what}: something visible`).toBe(true);
}

/** What every stored name must be: safe text on one line, without bidi controls. */
export function expectSafeName(name: string, what: string): void {
  expectSafeText(name, what);
  expect(/[\r\n\t\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(name), `${what}: line break or bidi control`).toBe(false);
}
