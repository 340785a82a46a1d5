import { useMemo, useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';
import { CorpusProvider, useCorpus } from '../corpus/corpus-context';
import { EvalJobs } from './eval-jobs';
import { EvalRunList } from './eval-run-list';
import { availableBenchmarks } from './available';
import { NewEvalForm } from './new-eval-form';
import { ResultsSection } from './results-section';
import { useEvalJobs } from './use-eval-jobs';
import { useModelChoices } from './use-model-choices';
import './evaluate.css';

/** What to do when the corpus holds nothing to evaluate on. */
function NoBenchmarks() {
  return (
    <section className="card empty-card" aria-labelledby="no-benchmarks-title">
      <h2 id="no-benchmarks-title">Nothing to evaluate on yet</h2>
      <p>Evaluation needs benchmark data in the corpus, or a dataset version whose held-out part can be scored:</p>
      <ul>
        <li>
          <strong>Flores-200</strong>: on the <a href="#/corpus">Corpus</a> page, Import… the <code>flores200_dataset</code> folder (the one holding <code>dev/</code> and <code>devtest/</code>, files like{' '}
          <code>swh_Latn.devtest</code>). From a terminal: <code>langbridge import path/to/flores200_dataset</code>.
        </li>
        <li>
          <strong>Belebele</strong> (<code>swh_Latn.jsonl</code>), <strong>XCOPA</strong> (<code>test.sw.jsonl</code>) or <strong>MMMLU</strong> (<code>mmlu_SW_KE.csv</code>): import the file the same way; the
          format is detected.
        </li>
        <li>
          <strong>Held-out pairs and bits per character</strong>: build a dataset version on the <a href="#/pipeline">Pipeline</a> page; its held-out documents and pairs are scored.
        </li>
      </ul>
    </section>
  );
}

function EvaluateView() {
  const { version: corpusVersion } = useCorpus();
  const [datasetsVersion, setDatasetsVersion] = useState(0);
  useEvent('datasets:changed', () => setDatasetsVersion((v) => v + 1));
  const sources = useCall('corpus:sources', {}, [corpusVersion]);
  const datasets = useCall('datasets:list', {}, [datasetsVersion]);
  const { jobs, error: jobsError, upsert, finished } = useEvalJobs();
  const [modelsVersion, setModelsVersion] = useState(0);
  // A training run that ends brings new checkpoints to pick.
  useEvent('jobs:changed', (j) => {
    if (j.kind === 'train' && j.status !== 'running' && j.status !== 'queued') setModelsVersion((v) => v + 1);
  });
  const models = useModelChoices(modelsVersion);
  const [deleted, setDeleted] = useState(0);
  const [started, setStarted] = useState(0);
  const results = useCall('eval:results', {}, [finished, deleted, started]);
  const runs = useCall('eval:runs', {}, [finished, deleted, started]);
  const [notice, setNotice] = useState<string | null>(null);

  const available = useMemo(() => availableBenchmarks(sources.data ?? [], datasets.data ?? []), [sources.data, datasets.data]);
  const loaded = sources.data !== undefined && datasets.data !== undefined;

  return (
    <div className="evaluate-page">
      <header className="page-header">
        <div>
          <h1>Evaluate</h1>
          <p className="muted">Compare the base model with each trained checkpoint on standard benchmarks and your own held-out data: sacreBLEU-exact scores, deltas with 95% intervals, and every item behind them.</p>
        </div>
      </header>
      <ErrorMessage error={sources.error ?? datasets.error} prefix="Could not read the corpus:" />
      {loaded && available.langs.size === 0 ? <NoBenchmarks /> : null}
      {loaded && available.langs.size > 0 ? (
        <NewEvalForm
          models={models.models}
          available={available}
          onStarted={(message) => {
            setNotice(message);
            // Reused results are in already, and the new runs are listed: show them without waiting for a job.
            setStarted((n) => n + 1);
          }}
          onCreateTiny={async () => {
            await client.call('train:create-tiny', {});
            setModelsVersion((v) => v + 1);
          }}
        />
      ) : null}
      <ErrorMessage error={models.error} prefix="Could not list the models:" />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorMessage error={jobsError} prefix="Could not list the evaluation jobs:" />
      <EvalJobs jobs={jobs} onChanged={upsert} />
      <section className="card" aria-labelledby="results-title">
        <div className="card-header">
          <h2 id="results-title">Results</h2>
        </div>
        <ErrorMessage error={results.error} prefix="Could not load the results:" />
        {results.data ? <ResultsSection results={results.data} /> : results.loading ? <p className="muted">Loading the results…</p> : null}
      </section>
      <ErrorMessage error={runs.error} prefix="Could not list the evaluation runs:" />
      {runs.data?.length ? (
        <section className="card" aria-labelledby="eval-runs-title">
          <div className="card-header">
            <h2 id="eval-runs-title">Evaluation runs</h2>
          </div>
          <EvalRunList runs={runs.data} onDeleted={() => setDeleted((n) => n + 1)} />
        </section>
      ) : null}
    </div>
  );
}

export function EvaluatePage() {
  return (
    <CorpusProvider>
      <EvaluateView />
    </CorpusProvider>
  );
}
