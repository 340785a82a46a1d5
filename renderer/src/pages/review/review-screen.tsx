import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemView, QueueInfo } from '../../../../main/api/review-schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { langAttr, languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { OutputCard, type OutputCardHandle } from './output-card';
import { clampScore, draftOf, sameDraft, type ItemDraft, type OutputDraft } from './review-draft';
import { ShortcutsHelp } from './shortcuts-help';
import { useReviewKeys } from './use-review-keys';

interface ReviewScreenProps {
  queue: QueueInfo;
  reviewer: string;
  /** Called after each save, so the queue list's progress follows. */
  onSaved: () => void;
}

/** The review of one queue, one item at a time, keyboard first. */
export function ReviewScreen({ queue, reviewer, onSaved }: ReviewScreenProps) {
  const { languages } = useCorpus();
  const [item, setItem] = useState<ItemView | null>(null);
  const [draft, setDraft] = useState<ItemDraft | null>(null);
  const [baseline, setBaseline] = useState<ItemDraft | null>(null);
  const [active, setActive] = useState(0);
  const [showRef, setShowRef] = useState(true);
  const [help, setHelp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const cards = useRef<(OutputCardHandle | null)[]>([]);
  const screen = useRef<HTMLDivElement>(null);
  const writtenRef = useRef<HTMLTextAreaElement>(null);

  const load = useCallback(
    async (ordinal?: number) => {
      setError(null);
      try {
        const next = await client.call('review:item', { queueId: queue.id, reviewer, ...(ordinal ? { ordinal } : {}) });
        const d = draftOf(next);
        setItem(next);
        setDraft(d);
        setBaseline(d);
        setActive(0);
        // A new item: the focus goes to the screen, so the shortcuts work at once and a screen reader reads it.
        requestAnimationFrame(() => screen.current?.focus());
      } catch (err) {
        setError(err);
      }
    },
    [queue.id, reviewer],
  );

  useEffect(() => {
    setItem(null);
    void load();
  }, [load]);

  const dirty = draft !== null && baseline !== null && !sameDraft(draft, baseline);

  /** Saves the draft when it changed; false when the save failed (the reviewer stays on the item). */
  const save = async (): Promise<boolean> => {
    if (!item || !draft || !dirty) return true;
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('review:judge', {
        itemId: item.id,
        reviewer,
        outputs: draft.outputs.map((o) => ({ slot: o.slot, score: o.score, spans: o.spans, postEdit: o.postEdit, accepted: o.accepted })),
        ...(item.outputs.length === 0 ? { written: draft.written } : {}),
      });
      setBaseline(draft);
      const corpus = [r.pairsAdded && `${r.pairsAdded} pair${r.pairsAdded > 1 ? 's' : ''} added to the corpus`, r.pairsUpdated && `${r.pairsUpdated} corpus pair updated`, r.pairsRemoved && `${r.pairsRemoved} corpus pair removed`]
        .filter(Boolean)
        .join(', ');
      setStatus(`Saved item ${item.ordinal}${corpus ? `; ${corpus}` : ''}.`);
      setItem({ ...item, reviewed: r.reviewed });
      onSaved();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const go = async (delta: number) => {
    if (!item || busy) return;
    const target = item.ordinal + delta;
    if (!(await save())) return;
    if (target < 1 || target > item.total) {
      const edge = target < 1 ? 'This is the first item.' : 'That was the last item of the queue.';
      // After a save its sentence stays, with the edge added once.
      setStatus((s) => (s.startsWith('Saved') && !s.endsWith(edge) ? `${s} ${edge}` : s.startsWith('Saved') ? s : edge));
      return;
    }
    await load(target);
  };

  const setOutput = (i: number, next: OutputDraft) => setDraft((d) => (d ? { ...d, outputs: d.outputs.map((o, k) => (k === i ? next : o)) } : d));
  const activeOutput = draft?.outputs[active];
  const score = (f: (s: number | null) => number | null) => activeOutput && setOutput(active, { ...activeOutput, score: f(activeOutput.score) });

  useReviewKeys(!help && item !== null, {
    saveAndNext: () => void go(1),
    next: () => void go(1),
    previous: () => void go(-1),
    help: () => setHelp(true),
    setScore: (v) => score(() => v),
    nudge: (by) => score((s) => clampScore((s ?? 50) + by)),
    clearScore: () => score(() => null),
    switchTo: (i) => draft && i < draft.outputs.length && setActive(i),
    mark: () => cards.current[active]?.mark(),
    edit: () => (draft?.outputs.length ? cards.current[active]?.edit() : writtenRef.current?.focus()),
    accept: () => activeOutput && setOutput(active, { ...activeOutput, accepted: !activeOutput.accepted }),
    toggleReference: () => setShowRef((v) => !v),
  });

  if (error && !item) return <ErrorMessage error={error} prefix="Could not open the item:" />;
  if (!item || !draft) return <p className="muted">Loading…</p>;

  const dir = (code: string) => languages.get(code)?.direction ?? 'ltr';
  return (
    <div className="review-screen" ref={screen} tabIndex={-1} aria-label={`Item ${item.ordinal} of ${item.total}`}>
      <div className="review-progress">
        <ProgressBar fraction={item.total ? item.reviewed / item.total : 0} label={`${item.reviewed} of ${item.total} reviewed`} detail={`by ${reviewer}`} />
      </div>
      <div className="review-nav">
        <button type="button" className="button" onClick={() => void go(-1)} disabled={busy || item.ordinal <= 1}>
          ← Previous <kbd>K</kbd>
        </button>
        <span className="item-position" data-testid="item-position">
          Item {item.ordinal} of {item.total}
          {dirty ? <span className="unsaved"> · unsaved changes</span> : null}
        </span>
        <button type="button" className="button" onClick={() => void go(1)} disabled={busy || item.ordinal >= item.total}>
          Next → <kbd>J</kbd>
        </button>
        <button type="button" className="button quiet" onClick={() => setHelp(true)} aria-haspopup="dialog">
          Shortcuts <kbd>?</kbd>
        </button>
      </div>

      <section className="review-source" aria-label="Source">
        <h3>
          Source <span className="muted small">{languageLabel(item.srcLang, languages)}</span>
        </h3>
        <p className="source-text" lang={langAttr(item.srcLang)} dir={dir(item.srcLang)}>
          {item.source}
        </p>
        {item.reference !== null ? (
          <div className="reference">
            <button type="button" className="button quiet" aria-expanded={showRef} onClick={() => setShowRef((v) => !v)}>
              {showRef ? 'Hide reference' : 'Show reference'} <kbd>R</kbd>
            </button>
            {showRef ? (
              <p className="reference-text" lang={langAttr(item.tgtLang)} dir={dir(item.tgtLang)} aria-label="Reference translation">
                {item.reference}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="muted small">No reference for this item.</p>
        )}
      </section>

      {draft.outputs.length ? (
        <div className={`outputs outputs-${draft.outputs.length}`}>
          {draft.outputs.map((o, i) => (
            <OutputCard
              key={`${item.id}-${o.slot}`}
              ref={(h) => {
                cards.current[i] = h;
              }}
              draft={o}
              lang={item.tgtLang}
              dir={dir(item.tgtLang)}
              active={i === active}
              onActivate={() => setActive(i)}
              onChange={(next) => setOutput(i, next)}
            />
          ))}
        </div>
      ) : (
        <div className="field written">
          <label htmlFor="written-translation">Your translation ({languageLabel(item.tgtLang, languages)})</label>
          <textarea
            id="written-translation"
            ref={writtenRef}
            rows={3}
            lang={langAttr(item.tgtLang)}
            dir={dir(item.tgtLang)}
            value={draft.written}
            onChange={(e) => setDraft({ ...draft, written: e.target.value })}
            onKeyDown={(e) => e.key === 'Escape' && screen.current?.focus()}
          />
          <p className="hint">This item has no system output: what you write joins the corpus as a reviewed pair.</p>
        </div>
      )}

      <div className="review-save">
        <button type="button" className="button primary" disabled={busy} onClick={() => void go(1)}>
          {busy ? 'Saving…' : 'Save and next'} <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </button>
        <span role="status" className="muted" data-testid="review-status">
          {status}
        </span>
      </div>
      <ErrorMessage error={error} prefix="Not saved:" />
      <ShortcutsHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
