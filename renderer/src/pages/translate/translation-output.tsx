import { useState } from 'react';
import type { TranslateResult } from '../../../../main/api/translate-schemas';
import { formatProbability } from './confidence';

/** The name the translated file is offered under: in.usfm -> in.swh_Latn.usfm. */
function outputName(fileName: string, to: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}.${to}${fileName.slice(dot)}` : `${fileName}.${to}.txt`;
}

/** The whole translation (the document put back together), with copy and download, and its figures. */
export function TranslationOutput({ result, fileName }: { result: TranslateResult; fileName: string | null }) {
  const [copied, setCopied] = useState(false);
  const n = result.segments.length;
  const mean = n ? result.segments.reduce((a, s) => a + s.confidence, 0) / n : 0;
  function download() {
    const url = URL.createObjectURL(new Blob([result.text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = outputName(fileName ?? 'translation.txt', result.to);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <div className="translation-output">
      <div className="inline-row">
        <h3>Translation</h3>
        <span className="muted">
          {n} sentence{n === 1 ? '' : 's'} in {result.seconds} s · {result.generatedTokens} tokens · mean confidence {formatProbability(Math.exp(mean))} ({mean.toFixed(3)}) ·{' '}
          {result.model.dtype === 'q8' ? 'int8' : 'fp32'} · {result.memoryPairs.toLocaleString('en')} pairs to draw examples from
        </span>
      </div>
      <textarea readOnly rows={Math.min(12, Math.max(3, result.text.split('\n').length))} value={result.text} lang={result.to} aria-label="The whole translation" />
      <div className="inline-row">
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator.clipboard.writeText(result.text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button" onClick={download}>
          Download{result.format === 'usfm' ? ' USFM' : ''}
        </button>
      </div>
    </div>
  );
}
