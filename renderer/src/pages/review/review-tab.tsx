import { useEffect, useRef, useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { AggregatesView } from './aggregates-view';
import { CreateQueueForm } from './create-queue-form';
import { QueueList } from './queue-list';
import { ReviewScreen } from './review-screen';
import { useReviewer } from './use-reviewer';

/** Downloads the queue's judgements as a file (the same text `langbridge review export` writes). */
async function download(queueId: number, name: string, format: 'tsv' | 'jsonl') {
  const r = await client.call('review:export', { format, queueId });
  const url = URL.createObjectURL(new Blob([r.content ?? ''], { type: format === 'tsv' ? 'text/tab-separated-values' : 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.${format}`;
  a.click();
  URL.revokeObjectURL(url);
}

export function ReviewTab() {
  const [version, setVersion] = useState(0);
  const { data: queues, error } = useCall('review:queues', {}, [version]);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [view, setView] = useState<'review' | 'results'>('review');
  const [reviewer, setReviewer] = useReviewer();
  const [nameDraft, setNameDraft] = useState(reviewer);
  const [exportError, setExportError] = useState<unknown>(null);
  const refresh = () => setVersion((v) => v + 1);

  // The form opens by itself once, when the first listing shows no queue at all.
  const firstListing = useRef(true);
  useEffect(() => {
    if (!queues) return;
    if (firstListing.current && !queues.length) setCreating(true);
    firstListing.current = false;
    if (selected === null && queues.length) setSelected(queues[0]!.id);
  }, [queues, selected]);
  const queue = queues?.find((q) => q.id === selected) ?? null;

  return (
    <div className="review-tab">
      <section className="card queues-card" aria-labelledby="queues-title">
        <div className="card-header">
          <h2 id="queues-title">Review queues</h2>
          <button type="button" className="button" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            {creating ? 'Close' : 'New queue…'}
          </button>
        </div>
        {creating ? (
          <CreateQueueForm
            onCreated={(q) => {
              setSelected(q.id);
              setCreating(false);
              setView('review');
              refresh();
            }}
          />
        ) : null}
        <ErrorMessage error={error} prefix="Could not list the queues:" />
        <QueueList
          queues={queues ?? []}
          selected={selected}
          onSelect={(id) => setSelected(id)}
          onDelete={(id) => client.call('review:delete-queue', { id })}
          onDeleted={(id) => {
            if (id === selected) setSelected(null);
            refresh();
          }}
        />
      </section>

      {queue ? (
        <section className="card review-card" aria-labelledby="queue-title">
          <div className="card-header">
            <h2 id="queue-title">{queue.name}</h2>
            <div className="segmented" role="tablist" aria-label="Queue view">
              {(['review', 'results'] as const).map((v) => (
                <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'active' : undefined} onClick={() => setView(v)}>
                  {v === 'review' ? 'Judge' : 'Results'}
                </button>
              ))}
            </div>
          </div>
          <form
            className="reviewer-row"
            onSubmit={(e) => {
              e.preventDefault();
              setReviewer(nameDraft.trim());
            }}
          >
            <label htmlFor="reviewer-name">Reviewer</label>
            <input type="text" id="reviewer-name" value={nameDraft} onChange={(e) => setNameDraft(e.target.value)} placeholder="your name" autoComplete="name" />
            <button type="submit" className="button" disabled={!nameDraft.trim() || nameDraft.trim() === reviewer}>
              {reviewer ? 'Change' : 'Start reviewing'}
            </button>
            <span className="muted small">
              Export:{' '}
              {(['jsonl', 'tsv'] as const).map((f) => (
                <button key={f} type="button" className="button quiet" onClick={() => download(queue.id, queue.name, f).catch(setExportError)}>
                  {f.toUpperCase()}
                </button>
              ))}
            </span>
          </form>
          <ErrorMessage error={exportError} prefix="Could not export:" />
          {queue.warnings.length ? (
            <ul className="notice small">
              {queue.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          {view === 'results' ? (
            <AggregatesView queueId={queue.id} systems={queue.systems} version={version} />
          ) : reviewer ? (
            <ReviewScreen key={`${queue.id}-${reviewer}`} queue={queue} reviewer={reviewer} onSaved={refresh} />
          ) : (
            <p className="empty">Type your name to start: each judgement is saved with it and the time.</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
