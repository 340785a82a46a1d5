/** Kept apart from tokenizer.ts so reading statistics never loads the 11 MB vocabulary. */
export const TOKENIZER_NAME = 'Qwen2/Qwen3 byte-level BPE (151,643-token vocabulary)';
