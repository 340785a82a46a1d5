import { useState } from 'react';
import type { ExportFormat, ExportInfo, LoraMode, ModelListing } from '../../../../main/api/model-schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { formatBytes } from '../../format';
import { useJob } from '../../hooks/use-job';

const FORMATS: Array<{ id: ExportFormat; label: string; hint: string }> = [
  { id: 'hf', label: 'Hugging Face', hint: 'safetensors, config, generation config and tokenizer: for transformers and the Hub' },
  { id: 'onnx', label: 'ONNX', hint: 'fp32 and int8 decoders with a key/value cache: for transformers.js, onnxruntime and the Translate page' },
  { id: 'gguf', label: 'GGUF', hint: 'f16 and q8_0: for llama.cpp and the tools built on it' },
];

/** Export one model: format, LoRA handling, destination; a progress bar with Cancel while it runs. */
export function ExportForm({ model, onExported, onClose }: { model: ModelListing; onExported: (e: ExportInfo) => void; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('hf');
  const [lora, setLora] = useState<LoraMode>('merged');
  const [out, setOut] = useState('');
  const job = useJob<ExportInfo>('models:cancel-export');
  const running = job.phase === 'running';
  const adapterOnly = model.lora && lora === 'adapter';

  async function start() {
    await job.start(async (jobId) => {
      const r = await client.call('models:export', { ref: model.ref, format, jobId, ...(out.trim() ? { out: out.trim() } : {}), ...(model.lora ? { lora } : {}) });
      onExported(r);
      return r;
    });
  }

  return (
    <section className="card export-form" aria-labelledby="export-title">
      <div className="card-header">
        <h2 id="export-title">Export {model.label}</h2>
        <button type="button" className="button subtle" onClick={onClose} disabled={running}>
          Close
        </button>
      </div>
      <fieldset className="segmented" disabled={running}>
        <legend className="visually-hidden">Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id} className={format === f.id ? 'active' : ''}>
            <input type="radio" name="export-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} disabled={adapterOnly && f.id !== 'hf'} />
            {f.label}
          </label>
        ))}
      </fieldset>
      <p className="muted small">{FORMATS.find((f) => f.id === format)!.hint}. A model card (README.md) and a checksum manifest (manifest.json) go with every export.</p>
      {model.lora ? (
        <div className="field">
          <span className="field-label" id="lora-label">
            LoRA adapter
          </span>
          <fieldset className="segmented" aria-labelledby="lora-label" disabled={running}>
            {(['merged', 'adapter'] as const).map((m) => (
              <label key={m} className={lora === m ? 'active' : ''}>
                <input
                  type="radio"
                  name="export-lora"
                  value={m}
                  checked={lora === m}
                  onChange={() => {
                    setLora(m);
                    if (m === 'adapter') setFormat('hf');
                  }}
                />
                {m === 'merged' ? 'Merged into the weights' : 'Adapter only'}
              </label>
            ))}
          </fieldset>
          <p className="hint">An adapter alone is small but needs its base model to load; ONNX and GGUF always merge.</p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="export-out">Destination folder</label>
        <input id="export-out" type="text" value={out} onChange={(e) => setOut(e.target.value)} placeholder="Default: the workspace's exports/ folder" disabled={running} />
        <p className="hint">A new or empty folder. Langbridge never writes over files, and never deletes a folder outside its workspace.</p>
      </div>
      <div className="inline-row">
        <button type="button" className="button primary" onClick={() => void start()} disabled={running}>
          Export
        </button>
      </div>
      {running ? <JobProgress progress={job.progress} onCancel={() => void job.cancel()} cancelling={job.cancelling} /> : null}
      {job.phase === 'done' && job.result ? (
        <p className="ok" role="status">
          Exported {formatBytes(job.result.bytes)} in {job.result.files.length} files to <code>{job.result.path}</code>; every check passed.
        </p>
      ) : null}
      {job.phase === 'cancelled' ? (
        <p className="muted" role="status">
          Cancelled. Nothing was left behind.
        </p>
      ) : null}
      <ErrorMessage error={job.phase === 'failed' || (running && job.error) ? job.error : null} prefix="The export failed:" />
    </section>
  );
}
