import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../src/domain/errors.js';
import { bothOrNeither, envFlag, envPort, envUrl, parseEnv, requiredWith, unsetIfBlank, withoutBlanks } from '../../src/kit/env.js';

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('env helpers', () => {
  const schema = z
    .object({
      HOST: z.string().min(1),
      PORT: envPort().default(25),
      TLS: envFlag.optional(),
      API: envUrl({ protocol: /^https?$/, message: 'must be an http(s) URL', trimSlash: true }).optional(),
      USER: z.string().optional(),
      PASSWORD: z.string().optional(),
    })
    .superRefine(bothOrNeither('USER', 'PASSWORD'));

  it('parses set variables, applies defaults and treats blank values as unset', () => {
    expect(parseEnv(schema, { HOST: 'mx', PORT: '', TLS: 'yes', API: 'https://x.example/api//', OTHER: undefined })).toEqual({
      HOST: 'mx',
      PORT: 25,
      TLS: true,
      API: 'https://x.example/api',
    });
    expect(withoutBlanks({ A: '', B: undefined, C: 'c' })).toEqual({ C: 'c' });
  });

  it('reads flags as true/false, 1/0, yes/no and refuses anything else', () => {
    expect(['true', '1', 'yes', 'false', '0', 'no'].map((v) => envFlag.parse(v))).toEqual([true, true, true, false, false, false]);
    expect(envFlag.safeParse('maybe').success).toBe(false);
  });

  it('bounds ports; 0 only where any free port is meant', () => {
    expect(envPort().safeParse('0').success).toBe(false);
    expect(envPort().safeParse('65536').success).toBe(false);
    expect(envPort().safeParse('8.5').success).toBe(false);
    expect(envPort().parse('65535')).toBe(65535);
    expect(envPort({ anyFree: true }).parse('0')).toBe(0);
  });

  it('names the variable in every error, says "is required" when it is missing, and never repeats the value', () => {
    expect(thrown(() => parseEnv(schema, {})).message).toBe('HOST is required');
    expect(thrown(() => parseEnv(schema, { HOST: 'mx', API: 'ftp://secret-host' })).message).toBe('API must be an http(s) URL');
    const port = thrown(() => parseEnv(schema, { HOST: 'mx', PORT: 'abc' }, { context: 'mail channel' }));
    expect(port.message).toMatch(/^mail channel: PORT /);
    expect(port.field).toBe('PORT');
    const pair = thrown(() => parseEnv(schema, { HOST: 'mx', USER: 'relay' }));
    expect(pair.message).toBe('PASSWORD set both USER and PASSWORD, or neither');
    expect(pair.message).not.toContain('relay');
  });

  it('requiredWith asks for one variable only when the other is set', () => {
    const hook = z.object({ URL: z.string().optional(), SECRET: z.string().optional() }).superRefine(requiredWith('URL', 'SECRET'));
    expect(parseEnv(hook, {})).toEqual({});
    expect(parseEnv(hook, { URL: 'u' })).toEqual({ URL: 'u' });
    const err = thrown(() => parseEnv(hook, { SECRET: 's' }));
    expect(err.message).toBe('URL is required when SECRET is set');
    expect(err.field).toBe('URL');
  });

  it('unsetIfBlank lets a single schema treat blank and spaces-only values as unset', () => {
    const n = unsetIfBlank(z.coerce.number().optional());
    expect(n.parse('  ')).toBeUndefined();
    expect(n.parse(undefined)).toBeUndefined();
    expect(n.parse(' 2 ')).toBe(2);
  });
});
