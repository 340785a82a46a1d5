import type { ExportInfo } from '../../../../main/api/model-schemas';
import type { LanguageStats } from '../../../../main/api/schemas';

export interface TranslateSettings {
  /** An ONNX export folder. */
  model: string;
  from: string;
  to: string;
  examples: number;
  beams: number;
  int8: boolean;
}

interface TranslateOptionsProps {
  exports: ExportInfo[];
  languages: LanguageStats[];
  value: TranslateSettings;
  onChange: (v: TranslateSettings) => void;
  disabled: boolean;
}

export const hasInt8 = (e: ExportInfo | undefined) => Boolean(e?.variant.split(',').includes('int8'));

/** Model (the workspace's ONNX exports), languages (the corpus's), examples, greedy or beam search, int8. */
export function TranslateOptions({ exports, languages, value, onChange, disabled }: TranslateOptionsProps) {
  const set = (patch: Partial<TranslateSettings>) => onChange({ ...value, ...patch });
  const chosen = exports.find((e) => e.path === value.model);
  const pairCount = languages.find((l) => l.code === value.from)?.pairsByPartner[value.to] ?? null;
  const langOptions = languages.map((l) => (
    <option key={l.code} value={l.code}>
      {l.name} ({l.code}){l.pairs ? '' : ' · no pairs'}
    </option>
  ));
  return (
    <fieldset className="translate-options" disabled={disabled}>
      <legend className="visually-hidden">Translation settings</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor="translate-model">Model</label>
          <select id="translate-model" value={value.model} onChange={(e) => set({ model: e.target.value, int8: value.int8 && hasInt8(exports.find((x) => x.path === e.target.value)) })}>
            {exports.length === 0 ? <option value="">No ONNX export yet (export a model on the Models page)</option> : null}
            {exports.map((e) => (
              <option key={e.id} value={e.path}>
                {e.modelLabel} · export #{e.id} ({e.variant})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="translate-from">From</label>
          <select id="translate-from" value={value.from} onChange={(e) => set({ from: e.target.value })}>
            {langOptions}
          </select>
        </div>
        <button
          type="button"
          className="icon-button translate-swap"
          aria-label="Swap the languages"
          title="Swap the languages"
          onClick={() => set({ from: value.to, to: value.from })}
        >
          ⇄
        </button>
        <div className="field">
          <label htmlFor="translate-to">To</label>
          <select id="translate-to" value={value.to} onChange={(e) => set({ to: e.target.value })}>
            {langOptions}
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="translate-examples">Examples from the corpus</label>
          <input id="translate-examples" type="number" min={0} max={16} value={value.examples} onChange={(e) => set({ examples: Math.max(0, Math.min(16, Math.round(Number(e.target.value) || 0))) })} />
          <span className="hint">
            Retrieved for each sentence from your {pairCount === null ? '' : `${pairCount.toLocaleString('en')} `}
            {value.from && value.to ? `${value.from}–${value.to} ` : ''}training pairs, most similar first.
          </span>
        </div>
        <div className="field">
          <label htmlFor="translate-search">Search</label>
          <select id="translate-search" value={value.beams} onChange={(e) => set({ beams: Number(e.target.value) })}>
            <option value={1}>Greedy (fastest)</option>
            {[2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                Beam search, {n} beams
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={value.int8} disabled={!hasInt8(chosen)} onChange={(e) => set({ int8: e.target.checked })} />
          int8 model (faster, slightly less exact)
        </label>
      </div>
    </fieldset>
  );
}
