import { z } from 'zod';

/**
 * Every failure that crosses a front door is a value with a machine code and a
 * sentence written for a linguist, never a stack trace.
 */
export const ErrorCode = z.enum([
  'bad-input', // the call's arguments do not fit its schema
  'not-found', // a source, document, file or call that does not exist
  'duplicate-source', // the same file (by sha256) is already in the corpus
  'parse-error', // the file is not valid for its format; names file and line
  'encoding-error', // invalid UTF-8 and the user did not ask to replace bytes
  'unsupported-format',
  'workspace-busy', // another process holds the write lock for too long
  'workspace-too-new', // the database was written by a newer Langbridge
  'cancelled',
  'missing-dependency', // Python, the trainer's environment or a package in it is missing
  'unauthorized',
  'unavailable', // the network or a remote service (the Hugging Face Hub) cannot be reached or refuses for now
  'integrity', // downloaded bytes do not match the size or hash they should have
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside services; converted to an ApiError value at the front doors. */
export class LangbridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'LangbridgeError';
  }

  toApiError(): ApiError {
    const e: ApiError = { code: this.code, message: this.message };
    if (this.file !== undefined) e.file = this.file;
    if (this.line !== undefined) e.line = this.line;
    return e;
  }
}

/** A parse error that names the file and the line, as the user needs to find it. */
export function parseError(file: string, line: number | undefined, what: string): LangbridgeError {
  const where = line !== undefined ? `line ${line} of ${file}` : file;
  return new LangbridgeError('parse-error', `${where}: ${what}`, file, line);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof LangbridgeError) return err.toApiError();
  const message = err instanceof Error ? err.message : String(err);
  if (/UNIQUE constraint failed: sources\.sha256/.test(message)) {
    // Two processes imported the same file at once; the second one's transaction lost.
    return { code: 'duplicate-source', message: 'This file was just imported by another Langbridge process; nothing was added.' };
  }
  if (/SQLITE_BUSY|database is locked/i.test(message)) {
    return {
      code: 'workspace-busy',
      message: 'The workspace is busy: another Langbridge process is writing to it. Try again when it has finished.',
    };
  }
  return { code: 'internal', message: `Something went wrong inside Langbridge: ${message}` };
}
