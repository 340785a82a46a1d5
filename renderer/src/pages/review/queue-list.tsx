import type { QueueInfo } from '../../../../main/api/review-schemas';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';

interface QueueListProps {
  queues: readonly QueueInfo[];
  selected: number | null;
  onSelect: (id: number) => void;
  onDelete: (id: number) => Promise<unknown>;
  onDeleted: (id: number) => void;
}

const KIND: Record<QueueInfo['kind'], string> = {
  file: 'translated file',
  eval: 'evaluation',
  dataset: 'held-out pairs',
  corpus: 'corpus eval pairs',
};

/** The queues, newest first, with how far each is reviewed. */
export function QueueList({ queues, selected, onSelect, onDelete, onDeleted }: QueueListProps) {
  if (!queues.length) return <p className="empty">No review queues yet. Create one from a translated file, an evaluation or held-out pairs.</p>;
  return (
    <ul className="queue-list" aria-label="Review queues">
      {queues.map((q) => (
        <li key={q.id} className={q.id === selected ? 'selected' : undefined}>
          <button type="button" className="queue-button" aria-current={q.id === selected ? 'true' : undefined} onClick={() => onSelect(q.id)}>
            <span className="queue-name">{q.name}</span>
            <span className="muted small">
              {KIND[q.kind]} · {q.srcLang && q.tgtLang ? `${q.srcLang} → ${q.tgtLang}` : 'several directions'} · {q.systems.length === 2 ? 'two systems, blind' : q.systems.length === 1 ? 'one system' : 'reviewer translates'}
            </span>
            <span className="queue-progress small">
              {q.reviewed} of {q.items} reviewed
            </span>
          </button>
          <ConfirmDeleteButton
            ariaLabel={`Delete queue ${q.name}`}
            what={q.name}
            question="Delete this queue and its judgements? Pairs it added to the corpus stay there."
            action={() => onDelete(q.id)}
            onDone={() => onDeleted(q.id)}
          />
        </li>
      ))}
    </ul>
  );
}
