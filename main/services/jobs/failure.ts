/**
 * A failed job, in words: what went wrong and what to change. The trainer
 * classifies its own errors (native/trainer, the 'error' event); a process
 * that dies without saying why gets 'other' with its exit code.
 */
export type FailureClass = 'out_of_memory' | 'missing_dependency' | 'bad_data' | 'bad_spec' | 'bad_model' | 'disk_full' | 'other';

export interface Failure {
  classification: FailureClass;
  /** The trainer's own message (or the exit code). */
  message: string;
  /** One sentence for the user. */
  reason: string;
  /** What to try, most effective first. */
  fixes: string[];
  /** The last lines of the job's log. */
  log: string[];
}

const EXPLAIN: Record<FailureClass, { reason: string; fixes: string[] }> = {
  out_of_memory: {
    reason: 'The GPU ran out of memory.',
    fixes: [
      'Use a smaller micro-batch (the global batch stays the same: more gradient accumulation steps make up for it).',
      'Use shorter sequences.',
      'Turn on activation checkpointing (slower, much less memory).',
      'Train with LoRA instead of full fine-tuning.',
    ],
  },
  missing_dependency: {
    reason: 'A Python package the trainer needs is missing or broken.',
    fixes: ['Run `langbridge doctor` to see what is missing.', "Delete the trainer's environment folder (Settings and `langbridge doctor` show its path), then install it again from Settings or with `langbridge doctor --install`."],
  },
  bad_data: {
    reason: 'The trainer could not read the dataset.',
    fixes: ['Check the file named in the message.', 'Rebuild the dataset version from the Pipeline page if a shard is damaged (its checksum no longer matches).'],
  },
  bad_spec: {
    reason: 'The training settings are not valid.',
    fixes: ['The message names the setting; change it on the Train page (or in the spec file) and start again.'],
  },
  bad_model: {
    reason: 'The base model could not be loaded.',
    fixes: ['Pick a Hugging Face model folder with config.json, tokenizer files and *.safetensors weights (pickled .bin weights are refused for safety).'],
  },
  disk_full: {
    reason: 'The disk is full.',
    fixes: ['Free some space, then Resume: the run continues from its last checkpoint.', 'Keep fewer checkpoints (spec: keepCheckpoints).'],
  },
  other: {
    reason: 'The trainer stopped with an error.',
    fixes: ['Read the last lines of the log below.', 'Resume continues from the last checkpoint once the cause is fixed.'],
  },
};

export function explainFailure(classification: string | undefined, message: string, log: string[]): Failure {
  const c: FailureClass = classification && classification in EXPLAIN ? (classification as FailureClass) : 'other';
  return { classification: c, message, ...EXPLAIN[c], log };
}
