import type { ApiError } from '../../../main/api/errors';

/** A failed call, carrying the contract's error value (code + a sentence for the user). */
export class ClientError extends Error {
  readonly error: ApiError;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ClientError';
    this.error = error;
  }

  get code(): ApiError['code'] {
    return this.error.code;
  }
}
