import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { EvalItemRow, EvalScore } from '../../../../main/api/eval-schemas';
import { ErrorMessage } from '../../components/error-message';
import { Modal } from '../../components/modal';
import { formatInt } from '../../format';
import { langAttr, languageName } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { benchmarkLabel, formatScore, metricLabel, splitDirection } from './benchmarks';
import { subsetText } from './subset-label';
import { useEvalItems } from './use-eval-items';

const MULTIPLE_CHOICE = new Set(['belebele', 'xcopa', 'mmmlu']);

/** The choices a multiple-choice item stored in its meta, when it did. */
function choicesOf(row: EvalItemRow): string[] | null {
  const c = row.meta?.choices;
  return Array.isArray(c) && c.every((x) => typeof x === 'string') ? (c as string[]) : null;
}

function Text({ text, lang }: { text: string | null; lang: string | null }) {
  if (text === null) return <span className="muted">—</span>;
  return (
    <span className="item-text" lang={lang ? langAttr(lang) : undefined} dir="auto">
      {text}
    </span>
  );
}

function TranslationItem({ row, compareLabel }: { row: EvalItemRow; compareLabel: string | null }) {
  const sentence = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  return (
    <dl className="item-fields">
      <div>
        <dt>Source</dt>
        <dd>
          <Text text={row.source} lang={row.srcLang} />
        </dd>
      </div>
      <div>
        <dt>Reference</dt>
        <dd>
          <Text text={row.reference} lang={row.tgtLang} />
        </dd>
      </div>
      <div className="hyp">
        <dt>
          Output <span className="item-score tabular" title="Sentence chrF++">chrF++ {sentence(row.score)}</span>
        </dt>
        <dd>
          <Text text={row.hypothesis} lang={row.tgtLang} />
        </dd>
      </div>
      {row.other ? (
        <div className="hyp other">
          <dt>
            {compareLabel ?? 'Base'} <span className="item-score tabular" title="Sentence chrF++">chrF++ {sentence(row.other.score)}</span>
          </dt>
          <dd>
            <Text text={row.other.hypothesis} lang={row.tgtLang} />
          </dd>
        </div>
      ) : null}
      {typeof row.meta?.prompt === 'string' ? (
        <details className="item-prompt">
          <summary>The prompt the model saw</summary>
          <pre>{row.meta.prompt}</pre>
        </details>
      ) : null}
    </dl>
  );
}

function ChoiceItem({ row, compareLabel }: { row: EvalItemRow; compareLabel: string | null }) {
  const choices = choicesOf(row);
  const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '✓ right' : '✗ wrong');
  return (
    <dl className="item-fields">
      <div className="wide">
        <dt>Question</dt>
        <dd>
          <Text text={row.source} lang={row.srcLang} />
        </dd>
      </div>
      {choices ? (
        <div>
          <dt>Choices</dt>
          <dd>
            <ol className="choices" type="A">
              {choices.map((c, i) => (
                <li key={i} className={i === row.meta?.gold ? 'correct-choice' : undefined}>
                  <Text text={c} lang={row.srcLang} />
                </li>
              ))}
            </ol>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Correct</dt>
        <dd>
          <Text text={row.reference} lang={row.srcLang} />
        </dd>
      </div>
      <div className={`hyp ${row.correct ? 'right' : 'wrong'}`}>
        <dt>
          Picked <span className="item-score">{mark(row.correct)}</span>
        </dt>
        <dd>
          <Text text={row.hypothesis} lang={row.srcLang} />
        </dd>
      </div>
      {row.other ? (
        <div className={`hyp other ${row.other.correct ? 'right' : 'wrong'}`}>
          <dt>
            {compareLabel ?? 'Base'} picked <span className="item-score">{mark(row.other.correct)}</span>
          </dt>
          <dd>
            <Text text={row.other.hypothesis} lang={row.srcLang} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function BpcItem({ row }: { row: EvalItemRow }) {
  return (
    <dl className="item-fields">
      <div className="hyp wide">
        <dt>
          Held-out text <span className="item-score tabular">{row.score === null ? '—' : `${row.score.toFixed(3)} bits/char`}</span>
          {row.other?.score != null ? <span className="item-score tabular muted"> base {row.other.score.toFixed(3)}</span> : null}
        </dt>
        <dd>
          <Text text={row.source} lang={row.srcLang} />
        </dd>
      </div>
    </dl>
  );
}

/**
 * The items behind one score: what the model was asked, what it answered, the
 * reference, each item's own score, and the base model's answer beside it.
 * Virtualised (only the rows on screen are in the page), pages fetched as the
 * list scrolls.
 */
export function ItemDrilldown({ score, compareLabel, onClose }: { score: EvalScore | null; compareLabel: string | null; onClose: () => void }) {
  const { languages } = useCorpus();
  // The dialog stays mounted and is closed with close(), so the browser hands focus back to the cell that opened it.
  const title = score ? `${score.modelLabel}: ${benchmarkLabel(score.benchmark)}, ${subsetText(score.subset, (c) => languageName(c, languages))}` : '';
  return (
    <Modal open={score !== null} title={title} onClose={onClose} variant="drawer">
      {score ? <DrillItems key={`${score.runId}|${score.benchmark}|${score.subset}|${score.metric}`} score={score} compareLabel={compareLabel} /> : null}
    </Modal>
  );
}

function DrillItems({ score, compareLabel }: { score: EvalScore; compareLabel: string | null }) {
  const compareRunId = score.delta?.baseRunId;
  const items = useEvalItems({ runId: score.runId, benchmark: score.benchmark, subset: score.subset, ...(compareRunId !== undefined ? { compareRunId } : {}) });
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 150,
    overscan: 6,
  });
  const visible = virtualizer.getVirtualItems();
  const last = visible.at(-1)?.index;
  const { want } = items;
  useEffect(() => {
    if (last !== undefined) want(last);
  }, [want, last]);

  const mc = MULTIPLE_CHOICE.has(score.benchmark);
  const dir = splitDirection(score.subset);
  return (
    <>
      <p className="muted small drill-summary">
        {metricLabel(score.metric)} {formatScore(score.metric, score.score)} over {formatInt(score.n)} items
        {dir ? ` (${dir[0]} → ${dir[1]})` : ''}
        {compareLabel ? `; beside each, ${compareLabel}'s output on the same item` : ''}.
      </p>
      <ErrorMessage error={items.error} prefix="Could not load the items:" />
      {items.total === null && !items.error ? <p className="muted">Loading the items…</p> : null}
      {items.total === 0 ? <p className="empty">No items were stored for this subset.</p> : null}
      <div ref={scrollRef} className="drill-scroll" role="list" aria-label="Items" tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {visible.map((v) => {
            const row = items.rows[v.index];
            return (
              <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} role="listitem" className="drill-item" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
                <div className="drill-item-head muted small">
                  <span className="tabular">#{formatInt(v.index + 1)}</span>
                  {row ? <code>{row.itemId}</code> : null}
                </div>
                {!row ? (
                  <span className="placeholder" aria-label="Loading" />
                ) : mc ? (
                  <ChoiceItem row={row} compareLabel={compareLabel} />
                ) : score.benchmark === 'heldout-bpc' ? (
                  <BpcItem row={row} />
                ) : (
                  <TranslationItem row={row} compareLabel={compareLabel} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}
