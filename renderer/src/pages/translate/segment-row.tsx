import { useId, useState } from 'react';
import type { TranslatedSegment } from '../../../../main/api/translate-schemas';
import { confidenceBand, formatProbability } from './confidence';

interface SegmentRowProps {
  index: number;
  segment: TranslatedSegment | undefined;
  /** The output so far while this sentence is being translated. */
  live: string | null;
  srcLang: string;
  tgtLang: string;
}

/** One sentence: its source, its output (streaming in), its confidence, and the examples its prompt used, on demand. */
export function SegmentRow({ index, segment, live, srcLang, tgtLang }: SegmentRowProps) {
  const [open, setOpen] = useState(false);
  const examplesId = useId();
  const band = segment ? confidenceBand(segment.probability) : null;
  return (
    <div className="segment-row" aria-busy={!segment && live !== null}>
      <span className="segment-index muted">{index + 1}</span>
      <div className="segment-texts">
        <p className="segment-source" lang={srcLang}>
          {segment ? segment.source : <span className="muted">Translating sentence {index + 1}…</span>}
        </p>
        <p className="segment-output" lang={tgtLang}>
          {segment ? segment.output || <em className="muted">(empty: the model ended the line at once)</em> : live !== null ? <span className="streaming">{live}</span> : <span className="muted">…</span>}
        </p>
        {segment && open ? (
          <div id={examplesId} className="segment-examples">
            {segment.examples.length ? (
              <ol>
                {segment.examples.map((e) => (
                  <li key={e.pairId}>
                    <span lang={srcLang}>{e.src}</span> → <span lang={tgtLang}>{e.tgt}</span> <span className="muted">· chrF {e.score.toFixed(1)} · pair #{e.pairId}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">No example: the corpus has no training pair close to this sentence.</p>
            )}
          </div>
        ) : null}
      </div>
      {segment ? (
        <div className="segment-side">
          <span
            className={`confidence confidence-${band}`}
            title={`Mean token log-probability ${segment.confidence.toFixed(3)} over ${segment.tokens} tokens (${segment.stop === 'max-tokens' ? 'stopped at the token limit' : 'ended at the line end'})`}
          >
            {formatProbability(segment.probability)}
          </span>
          <button type="button" className="button link-button" aria-expanded={open} aria-controls={examplesId} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide examples' : `Examples (${segment.examples.length})`}
          </button>
        </div>
      ) : null}
    </div>
  );
}
