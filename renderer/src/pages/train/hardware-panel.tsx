import type { DoctorReport, TrainOptions } from '../../../../main/api/train-schemas';

export interface Hardware {
  device: 'auto' | 'cpu' | 'cuda';
  gpus: number;
  precision: 'auto' | 'bf16' | 'fp16' | 'fp32';
  microBatch: number;
  seqLen: number;
  lora: boolean;
  loraR: number;
  activationCheckpointing: boolean;
  maxSteps: number | null;
}

/** The panel's starting values: the recipe's, else the trainer's defaults. */
export function hardwareFrom(o: TrainOptions): Hardware {
  return {
    device: o.device ?? 'auto',
    gpus: 1,
    precision: o.precision ?? 'auto',
    microBatch: o.microBatch ?? 1,
    seqLen: o.seqLen ?? 2048,
    lora: o.method === 'lora',
    loraR: o.lora?.r ?? 16,
    activationCheckpointing: o.activationCheckpointing ?? false,
    maxSteps: o.maxSteps ?? null,
  };
}

/** The recipe's options with the panel's choices laid over them. */
export function optionsFrom(recipe: TrainOptions, h: Hardware): TrainOptions {
  const out: TrainOptions = {
    ...recipe,
    device: h.device,
    precision: h.precision,
    microBatch: h.microBatch,
    seqLen: h.seqLen,
    method: h.lora ? 'lora' : 'full',
    activationCheckpointing: h.activationCheckpointing,
  };
  if (h.lora) out.lora = { ...recipe.lora, r: h.loraR };
  if (h.maxSteps) out.maxSteps = h.maxSteps;
  return out;
}

function NumberField({ id, label, value, min, max, step, onChange, hint }: { id: string; label: string; value: number; min: number; max?: number; step?: number; onChange: (v: number) => void; hint?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" value={value} min={min} max={max} step={step ?? 1} onChange={(e) => e.target.value !== '' && onChange(Math.max(min, Math.round(Number(e.target.value))))} />
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

/** Detected GPUs and the run's device choices. */
export function HardwarePanel({ doctor, value, onChange }: { doctor: DoctorReport | undefined; value: Hardware; onChange: (h: Hardware) => void }) {
  const set = <K extends keyof Hardware>(k: K, v: Hardware[K]) => onChange({ ...value, [k]: v });
  const gpus = doctor?.gpus ?? [];
  return (
    <fieldset className="hardware-panel">
      <legend>Hardware</legend>
      <div className="detected" aria-live="polite">
        {!doctor ? (
          <p className="muted">Looking for GPUs…</p>
        ) : gpus.length ? (
          <ul>
            {gpus.map((g) => (
              <li key={g.index}>
                GPU {g.index}: <strong>{g.name}</strong>, {g.memory_gib} GiB, {g.bf16 ? 'bf16' : 'no bf16'}
              </li>
            ))}
          </ul>
        ) : (
          <p className="notice" data-testid="no-gpu">
            {doctor.environment.ready
              ? 'No CUDA GPU was found on this machine: training runs on the CPU, for the tiny demo model only. For a real model, use a machine with a GPU or export a cluster bundle (`langbridge train --emit-bundle`).'
              : "The trainer's Python environment is not installed yet, so GPUs cannot be detected; it is installed on the first run (Settings shows the details)."}
          </p>
        )}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="hw-device">Device</label>
          <select id="hw-device" value={value.device} onChange={(e) => set('device', e.target.value as Hardware['device'])}>
            <option value="auto">Automatic ({gpus.length ? 'GPU' : 'CPU'})</option>
            <option value="cuda" disabled={!gpus.length}>
              GPU (CUDA)
            </option>
            <option value="cpu">CPU</option>
          </select>
        </div>
        {gpus.length > 1 ? <NumberField id="hw-gpus" label="GPUs" value={value.gpus} min={1} max={gpus.length} onChange={(v) => set('gpus', Math.min(v, gpus.length))} hint="More than one: torchrun, DDP" /> : null}
        <div className="field">
          <label htmlFor="hw-precision">Precision</label>
          <select id="hw-precision" value={value.precision} onChange={(e) => set('precision', e.target.value as Hardware['precision'])}>
            <option value="auto">Automatic (bf16 where supported)</option>
            <option value="bf16">bf16</option>
            <option value="fp16">fp16</option>
            <option value="fp32">fp32</option>
          </select>
        </div>
        <NumberField id="hw-micro-batch" label="Micro-batch (sequences)" value={value.microBatch} min={1} onChange={(v) => set('microBatch', v)} />
        <NumberField id="hw-seq-len" label="Sequence length (tokens)" value={value.seqLen} min={16} step={128} onChange={(v) => set('seqLen', v)} />
        <NumberField id="hw-max-steps" label="Stop after (steps)" value={value.maxSteps ?? 0} min={0} onChange={(v) => set('maxSteps', v || null)} hint="0: the whole plan" />
      </div>
      <div className="field-row">
        <label className="check">
          <input type="checkbox" checked={value.lora} onChange={(e) => set('lora', e.target.checked)} /> LoRA adapters (for small GPUs)
        </label>
        {value.lora ? <NumberField id="hw-lora-r" label="LoRA rank" value={value.loraR} min={1} onChange={(v) => set('loraR', v)} /> : null}
        <label className="check">
          <input type="checkbox" checked={value.activationCheckpointing} onChange={(e) => set('activationCheckpointing', e.target.checked)} /> Activation checkpointing
        </label>
      </div>
    </fieldset>
  );
}
