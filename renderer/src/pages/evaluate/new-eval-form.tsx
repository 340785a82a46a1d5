import { useEffect, useMemo, useState } from 'react';
import type { Benchmark, EvalRequest } from '../../../../main/api/eval-schemas';
import { client, errorMessage } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { formatInt, plural } from '../../format';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { itemEstimate, type Available } from './available';
import { BENCHMARKS, isReplayLanguage } from './benchmarks';
import { groupModels, type ModelChoice } from './model-choices';

type Device = EvalRequest['device'];

function toggle<T>(set: ReadonlySet<T>, v: T): Set<T> {
  const next = new Set(set);
  if (next.has(v)) next.delete(v);
  else next.add(v);
  return next;
}

interface NewEvalFormProps {
  models: readonly ModelChoice[];
  available: Available;
  onStarted: (message: string) => void;
  onCreateTiny: () => Promise<void>;
}

/** Models, benchmarks, languages, how many items, the device; Start queues one job per model. */
export function NewEvalForm({ models, available, onStarted, onCreateTiny }: NewEvalFormProps) {
  const { languages } = useCorpus();
  const groups = useMemo(() => groupModels(models), [models]);
  const present = useMemo(() => BENCHMARKS.filter((b) => available.langs.has(b.id)).map((b) => b.id), [available]);
  // null until the user ticks a model: the default follows the list (a run that ends brings a newer checkpoint).
  const [picked, setRefs] = useState<ReadonlySet<string> | null>(null);
  const [benchmarks, setBenchmarks] = useState<ReadonlySet<Benchmark> | null>(null);
  const [langs, setLangs] = useState<ReadonlySet<string>>(new Set());
  const [maxItems, setMaxItems] = useState('100');
  const [maxNewTokens, setMaxNewTokens] = useState('128');
  const [floresShots, setFloresShots] = useState('1');
  const [device, setDevice] = useState<Device>('auto');
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // By default the newest run's last checkpoint (its base comes along as the reference), else the first base model.
  const refs = useMemo(() => {
    if (picked) return picked;
    const newestRun = groups.find((g) => g.jobId !== null);
    const pick = newestRun ? newestRun.models.at(-1) : groups[0]?.models[0];
    return new Set(pick ? [pick.ref] : []);
  }, [picked, groups]);
  // Benchmarks: Flores when imported (the headline), else whatever is there.
  const chosenBenchmarks = useMemo(() => benchmarks ?? new Set<Benchmark>(present.includes('flores') ? ['flores'] : present.slice(0, 1)), [benchmarks, present]);
  useEffect(() => {
    if (datasetId === null && available.datasets.length) setDatasetId(available.datasets[0]!.id);
  }, [available.datasets, datasetId]);

  const langOptions = useMemo(() => {
    const set = new Set<string>();
    for (const b of chosenBenchmarks) for (const l of available.langs.get(b) ?? []) set.add(l);
    return [...set].sort((a, b) => Number(isReplayLanguage(a)) - Number(isReplayLanguage(b)) || a.localeCompare(b));
  }, [chosenBenchmarks, available]);

  const maxItemsValue = maxItems.trim() === '' ? null : Number(maxItems);
  const maxNewValue = Number(maxNewTokens);
  const shotsValue = Number(floresShots);
  const numbersOk =
    (maxItemsValue === null || (Number.isInteger(maxItemsValue) && maxItemsValue > 0)) &&
    Number.isInteger(maxNewValue) && maxNewValue > 0 && maxNewValue <= 1024 &&
    Number.isInteger(shotsValue) && shotsValue >= 0 && shotsValue <= 8;
  const heldOut = chosenBenchmarks.has('heldout-pairs') || chosenBenchmarks.has('heldout-bpc');
  const canStart = refs.size > 0 && chosenBenchmarks.size > 0 && numbersOk && !starting && (!heldOut || datasetId !== null);
  const estimate = itemEstimate([...chosenBenchmarks], available, langs, maxItemsValue);

  async function start() {
    if (!canStart) return;
    setStarting(true);
    setError(null);
    try {
      const entries = await client.call('eval:start', {
        models: [...refs],
        benchmarks: [...chosenBenchmarks],
        langs: [...langs],
        maxItems: maxItemsValue,
        maxNewTokens: maxNewValue,
        shots: { flores: shotsValue },
        device,
        ...(heldOut && datasetId !== null ? { datasetId } : {}),
      });
      const started = entries.filter((e) => e.jobId !== null);
      const reused = entries.filter((e) => e.reused);
      const parts = [started.length ? `Started ${started.length === 1 ? 'an evaluation job' : `${started.length} evaluation jobs`} (${started.map((e) => e.modelLabel).join(', ')}).` : ''];
      if (reused.length) parts.push(`Reused the stored results of ${reused.map((e) => `${e.modelLabel}${e.isBase ? ' (the reference)' : ''}`).join(', ')}: already evaluated on exactly these items.`);
      onStarted(parts.filter(Boolean).join(' '));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  }

  async function createTiny() {
    setCreating(true);
    setError(null);
    try {
      await onCreateTiny();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setCreating(false);
    }
  }

  return (
    <section className="card new-eval" aria-labelledby="new-eval-title">
      <div className="card-header">
        <h2 id="new-eval-title">New evaluation</h2>
      </div>
      <div className="new-eval-grid">
        <fieldset className="field">
          <legend>Models</legend>
          {!models.length ? (
            <div className="empty-inline">
              <p className="muted">No model in this workspace yet. Create the tiny demo model (a few seconds, CPU) or download one on the Train page.</p>
              <button type="button" className="button" disabled={creating} onClick={() => void createTiny()}>
                {creating ? 'Creating…' : 'Create the tiny demo model'}
              </button>
            </div>
          ) : null}
          <div className="choice-groups">
            {groups.map((g) => (
              <div key={g.jobId ?? 'base'} className="choice-group" role="group" aria-label={g.title}>
                <span className="choice-group-title">{g.title}</span>
                {g.models.map((m) => (
                  <label key={m.ref} className="check">
                    <input type="checkbox" checked={refs.has(m.ref)} onChange={() => setRefs(toggle(refs, m.ref))} />
                    {m.kind === 'checkpoint' ? `step ${m.step}` : m.label}
                  </label>
                ))}
              </div>
            ))}
          </div>
          <span className="hint">A checkpoint's base model is evaluated too, once, and reused as the reference every delta is measured against.</span>
        </fieldset>

        <fieldset className="field">
          <legend>Benchmarks</legend>
          {BENCHMARKS.map((b) => {
            const has = available.langs.has(b.id);
            const n = available.langs.get(b.id)?.size ?? 0;
            return (
              <label key={b.id} className={`check${has ? '' : ' unavailable'}`} title={b.what}>
                <input type="checkbox" disabled={!has} checked={has && chosenBenchmarks.has(b.id)} onChange={() => setBenchmarks(toggle(chosenBenchmarks, b.id))} />
                <span>
                  {b.label}
                  <span className="muted small">
                    {' '}
                    · {has ? (n ? plural(n, 'language') : 'from a dataset version') : b.id.startsWith('heldout') ? 'build a dataset version first' : 'not imported'}
                  </span>
                </span>
              </label>
            );
          })}
        </fieldset>

        <fieldset className="field">
          <legend>Languages</legend>
          {langOptions.length ? (
            <div className="lang-choices">
              {langOptions.map((l) => (
                <label key={l} className={`check${isReplayLanguage(l) ? ' replay' : ''}`}>
                  <input type="checkbox" checked={langs.has(l)} onChange={() => setLangs(toggle(langs, l))} />
                  {languageLabel(l, languages)}
                  {isReplayLanguage(l) ? <span className="badge replay-badge">replay</span> : null}
                </label>
              ))}
            </div>
          ) : (
            <p className="muted small">The chosen benchmarks' languages appear here.</p>
          )}
          <span className="hint">None ticked: every language the benchmark has. Flores is scored in every direction between the chosen languages.</span>
        </fieldset>
      </div>

      <div className="field-row eval-options">
        <div className="field">
          <label htmlFor="eval-max-items">Max items per language or direction</label>
          <input id="eval-max-items" type="number" min={1} value={maxItems} placeholder="all" onChange={(e) => setMaxItems(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="eval-max-new">Max new tokens</label>
          <input id="eval-max-new" type="number" min={1} max={1024} value={maxNewTokens} onChange={(e) => setMaxNewTokens(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="eval-shots">Flores shots</label>
          <input id="eval-shots" type="number" min={0} max={8} value={floresShots} onChange={(e) => setFloresShots(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="eval-device">Device</label>
          <select id="eval-device" value={device} onChange={(e) => setDevice(e.target.value as Device)} title="Automatic: the CPU for a model as small as the tiny demo one, else the GPU when there is one">
            <option value="auto">Automatic</option>
            <option value="cuda">GPU (CUDA)</option>
            <option value="cpu">CPU</option>
          </select>
        </div>
        {heldOut ? (
          <div className="field">
            <label htmlFor="eval-dataset">Held-out data from</label>
            <select id="eval-dataset" value={datasetId ?? ''} onChange={(e) => setDatasetId(Number(e.target.value))}>
              {available.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  #{d.id} {d.name} · {formatInt(d.heldOutDocuments)} held-out documents
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {!numbersOk ? (
        <p className="error-message" role="alert">
          Max items must be a whole number above 0 (or empty for all), max new tokens 1 to 1,024, and Flores shots 0 to 8.
        </p>
      ) : null}
      <div className="start-row inline-row">
        <button type="button" className="button primary" disabled={!canStart} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Start evaluation'}
        </button>
        <span className="muted small">
          {refs.size ? `${refs.size} ${refs.size === 1 ? 'model' : 'models'}` : 'Choose at least one model'}
          {[...refs].some((r) => models.find((m) => m.ref === r)?.kind === 'checkpoint') ? ` (and ${refs.size === 1 ? 'its' : 'their'} base model, as the reference)` : ''}
          {estimate !== null ? ` · up to ${formatInt(estimate)} items each` : ''}
        </span>
      </div>
      <ErrorMessage error={error} prefix="Could not start the evaluation:" />
    </section>
  );
}
