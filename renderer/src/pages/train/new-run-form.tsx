import { useEffect, useMemo, useState } from 'react';
import type { JobInfo } from '../../../../main/api/train-schemas';
import { client, errorMessage } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { formatCompact, formatInt } from '../../format';
import { useCall } from '../../hooks/use-call';
import { useEnvProgress } from '../../hooks/use-env-progress';
import { HardwarePanel, hardwareFrom, optionsFrom, type Hardware } from './hardware-panel';
import { HubDownload } from './hub-download';
import { MemoryEstimateView } from './memory-estimate-view';
import { useEstimate } from './use-estimate';

const TINY = 'tiny';
const FOLDER = '__folder__';

/** Base model, dataset version, recipe, hardware, and Start. */
export function NewRunForm({ onStarted }: { onStarted: (job: JobInfo) => void }) {
  const [modelsVersion, setModelsVersion] = useState(0);
  const models = useCall('train:models', {}, [modelsVersion]);
  const datasets = useCall('datasets:list', {}, []);
  const recipes = useCall('train:recipes', {}, []);
  const doctor = useCall('train:doctor', { install: false }, []);

  const [base, setBase] = useState<string>(TINY);
  const [folder, setFolder] = useState('');
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const [recipeName, setRecipeName] = useState<string | null>(null);
  const [hardware, setHardware] = useState<Hardware | null>(null);
  const [name, setName] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const envProgress = useEnvProgress();

  const recipe = recipes.data?.find((r) => r.name === recipeName) ?? null;
  // Defaults once the lists arrive: the newest dataset; Marco on a GPU, the CPU demo recipe without one.
  useEffect(() => {
    if (datasetId === null && datasets.data?.length) setDatasetId(datasets.data[0]!.id);
  }, [datasets.data, datasetId]);
  useEffect(() => {
    if (recipeName !== null || !recipes.data || !doctor.data) return;
    setRecipeName(doctor.data.gpus.length ? 'marco' : 'cpu-demo');
  }, [recipes.data, doctor.data, recipeName]);
  useEffect(() => {
    if (recipe) setHardware(hardwareFrom(recipe.options));
  }, [recipe?.name]);

  const baseValue = base === FOLDER ? folder.trim() : base;
  const options = useMemo(() => (recipe && hardware ? optionsFrom(recipe.options, hardware) : null), [recipe, hardware]);
  const estimateInput = baseValue && options && hardware && recipe ? { base: baseValue, recipe: recipe.name, options, gpus: hardware.gpus } : null;
  const { estimate, stale, error: estimateError } = useEstimate(estimateInput, JSON.stringify([estimateInput, modelsVersion, !!doctor.data]));

  const dataset = datasets.data?.find((d) => d.id === datasetId);
  const blocked = estimate?.blocked ?? null;
  const canStart = !!(baseValue && dataset && recipe && options && hardware && !starting && !blocked);

  async function start() {
    if (!canStart || !dataset || !recipe || !options || !hardware) return;
    setStarting(true);
    setStartError(null);
    try {
      const job = await client.call('train:start', { datasetId: dataset.id, base: baseValue, recipe: recipe.name, options, gpus: hardware.gpus, ...(name.trim() ? { name: name.trim() } : {}) });
      onStarted(job);
      setModelsVersion((v) => v + 1);
    } catch (err) {
      setStartError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  }

  const localModels = models.data ?? [];
  const tinyExists = localModels.some((m) => m.name === 'tiny-qwen2');
  return (
    <section className="card new-run" aria-labelledby="new-run-title">
      <div className="card-header">
        <h2 id="new-run-title">New training run</h2>
      </div>
      <div className="field-row new-run-choices">
        <div className="field">
          <label htmlFor="run-base">Base model</label>
          <select id="run-base" value={base} onChange={(e) => setBase(e.target.value)}>
            <option value={TINY}>Tiny demo model{tinyExists ? '' : ' (created on the first run)'}</option>
            {localModels
              .filter((m) => m.name !== 'tiny-qwen2')
              .map((m) => (
                <option key={m.path} value={m.path}>
                  {m.name.replace('--', '/')}
                  {m.parameters ? ` · ${formatCompact(m.parameters)} parameters` : ''}
                </option>
              ))}
            <option value={FOLDER}>A model folder on this machine…</option>
          </select>
          {base === FOLDER ? (
            <input type="text" aria-label="Model folder" placeholder="/path/to/a Hugging Face model folder (config.json, *.safetensors)" value={folder} onChange={(e) => setFolder(e.target.value)} />
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="run-dataset">Dataset version</label>
          <select id="run-dataset" value={datasetId ?? ''} onChange={(e) => setDatasetId(Number(e.target.value))} disabled={!datasets.data?.length}>
            {!datasets.data?.length ? <option value="">No dataset versions yet (build one on the Pipeline page)</option> : null}
            {datasets.data?.map((d) => (
              <option key={d.id} value={d.id}>
                #{d.id} {d.name} · {formatCompact(d.tokens)} tokens
              </option>
            ))}
          </select>
          {dataset ? <span className="hint">{dataset.stages.map((s) => `${s.name}: ${formatInt(s.records)} records`).join(' · ')}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="run-recipe">Recipe</label>
          <select id="run-recipe" value={recipeName ?? ''} onChange={(e) => setRecipeName(e.target.value)}>
            {recipes.data?.map((r) => (
              <option key={r.name} value={r.name}>
                {r.title}
              </option>
            ))}
          </select>
          {recipe ? <span className="hint">{recipe.description}</span> : null}
        </div>
      </div>
      <HubDownload onDownloaded={(path) => {
        setModelsVersion((v) => v + 1);
        setBase(path);
      }} />
      <ErrorMessage error={models.error ?? datasets.error ?? recipes.error} />
      <ErrorMessage error={doctor.error} prefix="Could not check this machine:" />
      {hardware ? <HardwarePanel doctor={doctor.data} value={hardware} onChange={setHardware} /> : null}
      <div className="estimate-box">
        <h3>Memory</h3>
        <ErrorMessage error={estimateError} prefix="No estimate:" />
        {estimate ? <MemoryEstimateView estimate={estimate} stale={stale} /> : <p className="muted">Estimating…</p>}
      </div>
      {blocked ? (
        <p className="error-message" role="alert" data-testid="start-blocked">
          {blocked}
        </p>
      ) : null}
      <div className="field-row start-row">
        <div className="field">
          <label htmlFor="run-name">Name (optional)</label>
          <input id="run-name" type="text" value={name} maxLength={80} placeholder={dataset ? `${dataset.name} on ${base === TINY ? 'tiny-qwen2' : baseValue.split(/[\\/]/).filter(Boolean).at(-1) ?? ''}` : ''} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="button" className="button primary" disabled={!canStart} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Start training'}
        </button>
      </div>
      {starting && envProgress ? <ProgressBar fraction={envProgress.total ? envProgress.done / envProgress.total : null} label={`Preparing the trainer: ${envProgress.step}`} /> : null}
      {starting && !envProgress ? <p className="muted">Preparing the run (the tiny model is created on its first use)…</p> : null}
      {startError ? (
        <p className="error-message" role="alert">
          {startError}
        </p>
      ) : null}
    </section>
  );
}
