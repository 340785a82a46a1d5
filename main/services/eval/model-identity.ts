/**
 * What makes a model folder the same model for reuse: its path and, for
 * each file that defines the weights or the tokenizer, its name, size and
 * modification time (hashing gigabytes of weights at every request would
 * cost more than the evaluation it saves). A checkpoint rewritten in place,
 * or a folder replaced by another model, gets another identity.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelEntry } from '../models/model-ref';

const DEFINING = /^(config\.json|generation_config\.json|tokenizer.*\.json|.*\.safetensors|adapter_config\.json|.*\.bin)$/;

function folderIdentity(dir: string): string {
  if (!existsSync(dir)) return `${dir}:missing`;
  const parts = readdirSync(dir)
    .filter((n) => DEFINING.test(n))
    .sort()
    .map((n) => {
      const st = statSync(join(dir, n));
      return `${n}:${st.size}:${Math.round(st.mtimeMs)}`;
    });
  return `${dir}\n${parts.join('\n')}`;
}

export function modelIdentity(entry: ModelEntry): string {
  const h = createHash('sha256').update(folderIdentity(entry.path));
  if (entry.lora && entry.basePath) h.update('\nbase\n' + folderIdentity(entry.basePath));
  return h.digest('hex');
}
