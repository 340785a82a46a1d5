import { useEffect, useMemo, useState } from 'react';
import type { TranslateFileRequest } from '../../../../main/api/translate-schemas';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { useCall } from '../../hooks/use-call';
import { SegmentList } from './segment-list';
import { TranslateFileInput, type PickedFile } from './translate-file-input';
import { TranslateOptions, type TranslateSettings } from './translate-options';
import { TranslationOutput } from './translation-output';
import { useTranslation } from './use-translation';
import './translate.css';

type Mode = 'text' | 'file';

/**
 * Translate with an exported ONNX model: text typed in, or a file (plain
 * text or USFM, whose markers are kept). Each sentence is translated with
 * examples retrieved from the corpus; the output streams in, each sentence
 * shows its confidence and, on demand, the examples its prompt used. Files
 * show a progress bar and can be cancelled.
 */
export function TranslatePanel() {
  const exportsCall = useCall('models:exports', {});
  const stats = useCall('corpus:stats', {});
  const onnxExports = useMemo(() => (exportsCall.data ?? []).filter((e) => e.format === 'onnx' && e.status === 'ready' && e.exists), [exportsCall.data]);
  const languages = useMemo(() => {
    const all = stats.data?.languages ?? [];
    const withPairs = all.filter((l) => l.pairs > 0);
    return withPairs.length >= 2 ? withPairs : all;
  }, [stats.data]);

  const [settings, setSettings] = useState<TranslateSettings>({ model: '', from: '', to: '', examples: 4, beams: 1, int8: false });
  // Defaults once the lists arrive: the newest export, and the corpus's best-paired languages.
  useEffect(() => {
    setSettings((s) => {
      const model = s.model || onnxExports[0]?.path || '';
      let { from, to } = s;
      if (!from && languages.length) {
        const best = [...languages].sort((a, b) => b.pairs - a.pairs)[0]!;
        const partner = Object.entries(best.pairsByPartner).sort((a, b) => b[1] - a[1])[0]?.[0];
        from = best.code;
        to = partner ?? languages.find((l) => l.code !== best.code)?.code ?? '';
      }
      return model === s.model && from === s.from && to === s.to ? s : { ...s, model, from, to };
    });
  }, [onnxExports, languages]);

  const [mode, setMode] = useState<Mode>('text');
  const [text, setText] = useState('');
  const [file, setFile] = useState<PickedFile | null>(null);
  const [format, setFormat] = useState<TranslateFileRequest['format']>('auto');
  const { state, start, cancel } = useTranslation();

  const ready = Boolean(settings.model && settings.from && settings.to && settings.from !== settings.to);
  const canStart = ready && !state.running && (mode === 'text' ? text.trim() !== '' : Boolean(file?.path));

  function translate() {
    const common = { model: settings.model, from: settings.from, to: settings.to, examples: settings.examples, beams: settings.beams, int8: settings.int8 };
    if (mode === 'text') void start({ kind: 'text', request: { ...common, text } });
    else if (file?.path) void start({ kind: 'file', request: { ...common, path: file.path, format } });
  }

  return (
    <section className="card translate-panel" aria-labelledby="translate-title">
      <div className="card-header">
        <h2 id="translate-title">Translate</h2>
      </div>
      <TranslateOptions exports={onnxExports} languages={languages} value={settings} onChange={setSettings} disabled={state.running} />
      <ErrorMessage error={exportsCall.error ?? stats.error} />
      {settings.from && settings.from === settings.to ? <p className="error-message">Choose two different languages.</p> : null}
      <fieldset className="segmented translate-mode" disabled={state.running}>
        <legend className="visually-hidden">What to translate</legend>
        {(['text', 'file'] as const).map((m) => (
          <label key={m} className={mode === m ? 'active' : ''}>
            <input type="radio" name="translate-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'text' ? 'Text' : 'File'}
          </label>
        ))}
      </fieldset>
      {mode === 'text' ? (
        <div className="field">
          <label htmlFor="translate-text">Text to translate</label>
          <textarea
            id="translate-text"
            rows={5}
            lang={settings.from || undefined}
            value={text}
            disabled={state.running}
            placeholder="One or more sentences; line breaks are kept."
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canStart) translate();
            }}
          />
        </div>
      ) : (
        <TranslateFileInput value={file} onChange={setFile} format={format} onFormat={setFormat} disabled={state.running} />
      )}
      <div className="inline-row">
        <button type="button" className="button primary" disabled={!canStart} onClick={translate} title="Ctrl+Enter in the text box">
          Translate
        </button>
        {state.running && mode === 'text' ? (
          <button type="button" className="button" onClick={() => void cancel()} disabled={state.cancelling}>
            {state.cancelling ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
      </div>
      {state.running && mode === 'file' ? <JobProgress progress={state.progress} onCancel={() => void cancel()} cancelling={state.cancelling} /> : null}
      {state.running && mode === 'text' && state.progress && state.progress.step !== 'translating' ? <p className="muted">{state.progress.step}…</p> : null}
      <ErrorMessage error={state.error} prefix="Translation failed:" />
      <SegmentList total={state.total} segments={state.segments} live={state.live} srcLang={settings.from} tgtLang={settings.to} />
      {state.result ? <TranslationOutput result={state.result} fileName={mode === 'file' ? (file?.file.name ?? null) : null} /> : null}
    </section>
  );
}
