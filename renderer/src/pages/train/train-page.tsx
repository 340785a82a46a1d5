import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { CorpusProvider } from '../corpus/corpus-context';
import { NewRunForm } from './new-run-form';
import { RunDetail } from './run-detail';
import { RunList } from './run-list';
import { useTrainingJobs } from './use-training-jobs';
import './train.css';

function TrainView() {
  const { jobs, error, upsert } = useTrainingJobs();
  const [selected, setSelected] = useState<number | null>(null);
  // Open on the newest run, so a run started from the CLI or before a reload is in view.
  useEffect(() => {
    if (selected === null && jobs.length) setSelected(jobs[0]!.id);
  }, [jobs, selected]);
  const job = jobs.find((j) => j.id === selected) ?? null;
  return (
    <div className="train-page">
      <header className="page-header">
        <div>
          <h1>Train</h1>
          <p className="muted">Continually pretrain a base model on a dataset version. Runs keep going when the app is closed; Langbridge reattaches when it opens again.</p>
        </div>
      </header>
      <NewRunForm
        onStarted={(j) => {
          upsert(j);
          setSelected(j.id);
        }}
      />
      {job ? <RunDetail job={job} onChanged={upsert} /> : null}
      <section className="card" aria-labelledby="runs-title">
        <div className="card-header">
          <h2 id="runs-title">Runs</h2>
        </div>
        <ErrorMessage error={error} prefix="Could not list the runs:" />
        <RunList jobs={jobs} selected={selected} onSelect={setSelected} />
      </section>
    </div>
  );
}

export function TrainPage() {
  return (
    <CorpusProvider>
      <TrainView />
    </CorpusProvider>
  );
}
