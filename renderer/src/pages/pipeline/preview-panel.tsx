import { useId } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { formatInt, plural } from '../../format';
import { Elapsed, formatSeconds } from './elapsed';
import { NumberInput } from './number-input';
import { StepReportTable } from './step-report-table';
import type { PreviewState, SampleSpec } from './use-preview';

interface PreviewPanelProps {
  preview: PreviewState;
  sample: SampleSpec;
  onSample: (sample: SampleSpec) => void;
  /** Null while the draft is being checked. */
  valid: boolean | null;
}

function Status({ preview, valid, sample }: { preview: PreviewState; valid: boolean | null; sample: SampleSpec }) {
  if (valid === false) return <>The preview waits for a valid recipe: fix the problems listed beside the editor.</>;
  if (preview.running && preview.startedAt !== null) {
    return (
      <>
        Previewing… <Elapsed since={preview.startedAt} />
      </>
    );
  }
  if (!preview.current) return <>Previewing…</>;
  if (preview.error) return <>The preview failed.</>;
  const r = preview.result?.report;
  if (!r) return <>Previewing…</>;
  return (
    <>
      Previewed {sample.mode === 'random' ? `${formatInt(sample.size)} random` : `the first ${formatInt(sample.size)}`} documents and pairs
      per language in {formatSeconds(preview.wallMs ?? r.elapsedMs)}
      {r.workers > 1 ? ` (${r.workers} workers)` : ''}.
    </>
  );
}

/** The dry run on a sample: what each step would remove, re-run as the recipe changes. */
export function PreviewPanel({ preview, sample, onSample, valid }: PreviewPanelProps) {
  const sizeId = useId();
  const modeId = useId();
  const report = preview.result?.report;
  const busy = preview.running || !preview.current;
  return (
    <section className="card" aria-labelledby="preview-title" aria-busy={busy}>
      <div className="card-header">
        <h2 id="preview-title">Preview</h2>
        <span className="field-inline">
          <label htmlFor={sizeId}>Sample size</label>
          <NumberInput id={sizeId} className="narrow" value={sample.size} min={1} max={100000} step={1} onChange={(size) => onSample({ ...sample, size })} />
        </span>
        <span className="field-inline">
          <label htmlFor={modeId}>Mode</label>
          <select id={modeId} value={sample.mode} onChange={(e) => onSample({ ...sample, mode: e.target.value as SampleSpec['mode'] })}>
            <option value="first">first</option>
            <option value="random">random</option>
          </select>
        </span>
      </div>
      <p className={`preview-status small${busy ? ' busy' : ''}`} role="status" data-testid="preview-status">
        <Status preview={preview} valid={valid} sample={sample} />
      </p>
      {preview.current ? <ErrorMessage error={preview.error} prefix="The preview failed:" /> : null}
      {report ? (
        <div className={busy ? 'stale' : undefined}>
          <p className="small totals">
            {plural(report.documentsIn, 'document')} in, {formatInt(report.documentsOut)} out · {plural(report.pairsIn, 'pair')} in,{' '}
            {formatInt(report.pairsOut)} out
            {report.evalItems ? ` · ${plural(report.evalItems, 'evaluation item')} checked for contamination` : ''}
          </p>
          <StepReportTable steps={report.steps} label="Preview per step" />
          {report.warnings.length > 0 ? (
            <ul className="warnings-list">
              {report.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
