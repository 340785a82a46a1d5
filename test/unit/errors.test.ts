import { describe, expect, it } from 'vitest';
import { LangbridgeError, parseError, toApiError } from '../../main/api/errors';

describe('errors as values', () => {
  it('keeps a service error with its file and line', () => {
    expect(toApiError(parseError('corpus.tmx', 1204, '<seg> without a <tuv> parent'))).toEqual({
      code: 'parse-error',
      message: 'line 1204 of corpus.tmx: <seg> without a <tuv> parent',
      file: 'corpus.tmx',
      line: 1204,
    });
  });

  it('turns SQLite lock and uniqueness failures into sentences', () => {
    expect(toApiError(new Error('database is locked')).code).toBe('workspace-busy');
    expect(toApiError(new Error('UNIQUE constraint failed: sources.sha256')).code).toBe('duplicate-source');
  });

  it('wraps anything else as internal, with its message', () => {
    const e = toApiError(new TypeError('boom'));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/boom/);
    expect(toApiError(new LangbridgeError('cancelled', 'stopped')).code).toBe('cancelled');
  });
});
