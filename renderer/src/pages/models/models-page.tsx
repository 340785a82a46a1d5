import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';
import { ExportForm } from './export-form';
import { ExportList } from './export-list';
import { ModelTable } from './model-table';
import './models.css';

/** Base models and checkpoints, their exports (Hugging Face, ONNX, GGUF) with checksums and model cards. */
export function ModelsPage() {
  const [version, setVersion] = useState(0);
  const models = useCall('models:list', {}, [version]);
  const exports = useCall('models:exports', {}, [version]);
  const [selected, setSelected] = useState<string | null>(null);
  const model = models.data?.find((m) => m.ref === selected) ?? null;
  const refresh = () => setVersion((v) => v + 1);
  // An export ending in this window or another one on the same Langbridge changes both lists.
  useEvent('jobs:progress', (p) => {
    if (p.kind === 'export' && p.state !== 'running') refresh();
  });
  return (
    <div className="models-page">
      <header className="page-header">
        <div>
          <h1>Models</h1>
          <p className="muted">Base models and every training checkpoint. Export one for Hugging Face, for transformers.js (ONNX) or for llama.cpp (GGUF), with a model card and checksums.</p>
        </div>
      </header>
      <section className="card" aria-labelledby="models-title">
        <div className="card-header">
          <h2 id="models-title">Models</h2>
        </div>
        <ErrorMessage error={models.error} prefix="Could not list the models:" />
        {models.data ? <ModelTable models={models.data} selected={selected} onSelect={setSelected} /> : null}
      </section>
      {model ? <ExportForm key={model.ref} model={model} onExported={refresh} onClose={() => setSelected(null)} /> : null}
      <section className="card" aria-labelledby="exports-title">
        <div className="card-header">
          <h2 id="exports-title">Exports</h2>
        </div>
        <ErrorMessage error={exports.error} prefix="Could not list the exports:" />
        {exports.data ? <ExportList exports={exports.data} onChanged={refresh} /> : null}
      </section>
    </div>
  );
}
