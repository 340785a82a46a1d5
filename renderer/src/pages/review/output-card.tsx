import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { ErrorCategory, Severity, Span } from '../../../../main/api/review-schemas';
import { codePointLength, toCodePointOffset } from '../../../../main/services/review/code-points';
import { langAttr } from '../../languages';
import { offsetIn, segments } from './highlight';
import { categoryLabel, type OutputDraft } from './review-draft';
import { ScoreInput } from './score-input';
import { SpanForm } from './span-form';

export interface OutputCardHandle {
  /** Opens the error form for the current selection in this output (or for typed text). */
  mark(): void;
  /** Opens the post-edit box and puts the caret in it. */
  edit(): void;
}

interface OutputCardProps {
  ref?: Ref<OutputCardHandle>;
  draft: OutputDraft;
  lang: string;
  dir: 'ltr' | 'rtl';
  active: boolean;
  onActivate: () => void;
  onChange: (draft: OutputDraft) => void;
}

interface Selected {
  start: number;
  end: number;
  text: string;
}

function OutputText({ draft, lang, dir, textRef, onSelect }: { draft: OutputDraft; lang: string; dir: 'ltr' | 'rtl'; textRef: Ref<HTMLParagraphElement>; onSelect: () => void }) {
  const pieces = segments(draft.text, draft.spans);
  // Omissions are zero-length spans: drawn as a caret where the text is missing.
  const gaps = draft.spans.map((s, i) => ({ s, i })).filter(({ s }) => s.start === s.end);
  let at = 0;
  return (
    <p className="output-text" ref={textRef} lang={langAttr(lang)} dir={dir} tabIndex={0} aria-label={`Output ${draft.slot} text`} onMouseUp={onSelect} onKeyUp={onSelect}>
      {pieces.map((p, k) => {
        const start = at;
        at += codePointLength(p.text);
        const caret = gaps.filter(({ s }) => s.start === start).map(({ s, i }) => (
          <span key={`gap-${i}`} className={`gap sev-${s.severity}`} title={`${categoryLabel(s.category)} (${s.severity})`} aria-label={`missing: ${categoryLabel(s.category)}`} data-span={i}>
            ‸
          </span>
        ));
        const worst = p.spans.map((i) => draft.spans[i]!.severity).sort((a, b) => rank(b) - rank(a))[0];
        return (
          <span key={k}>
            {caret}
            {p.spans.length ? (
              <mark className={`err sev-${worst}`} title={p.spans.map((i) => `${categoryLabel(draft.spans[i]!.category)} (${draft.spans[i]!.severity})`).join('; ')} data-span={p.spans.join(' ')}>
                {p.text}
              </mark>
            ) : (
              p.text
            )}
          </span>
        );
      })}
      {gaps
        .filter(({ s }) => s.start >= codePointLength(draft.text))
        .map(({ s, i }) => (
          <span key={`gap-${i}`} className={`gap sev-${s.severity}`} aria-label={`missing: ${categoryLabel(s.category)}`}>
            ‸
          </span>
        ))}
    </p>
  );
}

const rank = (s: Severity) => (s === 'critical' ? 3 : s === 'major' ? 2 : 1);

/** One system output: its text with the marked errors, a score, the error list, accept and post-edit. */
export function OutputCard({ ref, draft, lang, dir, active, onActivate, onChange }: OutputCardProps) {
  const textRef = useRef<HTMLParagraphElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);
  const lastSelection = useRef<Selected | null>(null);
  const [marking, setMarking] = useState<Selected | 'typed' | null>(null);
  const [editing, setEditing] = useState(false);
  const editOpen = editing || draft.postEdit !== null;

  const readSelection = (): Selected | null => {
    const root = textRef.current;
    const sel = window.getSelection();
    if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    const a = offsetIn(root, range.startContainer, range.startOffset);
    const b = offsetIn(root, range.endContainer, range.endOffset);
    // The rendered text holds the omission carets too; offsets count the output alone.
    const plain = root.textContent ?? '';
    const carets = (upTo: number) => (plain.slice(0, upTo).match(/‸/g) ?? []).length;
    const start = toCodePointOffset(draft.text, a - carets(a));
    const end = toCodePointOffset(draft.text, b - carets(b));
    if (end <= start) return null;
    return { start, end, text: Array.from(draft.text).slice(start, end).join('') };
  };

  const mark = () => {
    onActivate();
    setMarking(readSelection() ?? lastSelection.current ?? 'typed');
    lastSelection.current = null;
  };
  const edit = () => {
    onActivate();
    if (draft.postEdit === null) onChange({ ...draft, postEdit: draft.text });
    setEditing(true);
    requestAnimationFrame(() => editRef.current?.focus());
  };
  useImperativeHandle(ref, () => ({ mark, edit }));

  const addSpan = ({ text, category, severity }: { text: string; category: ErrorCategory; severity: Severity }): string | null => {
    let span: Span;
    if (marking && marking !== 'typed') span = { start: marking.start, end: marking.end, category, severity };
    else {
      const at = draft.text.indexOf(text);
      if (at < 0) return `“${text}” does not occur in output ${draft.slot}. Type it exactly as it appears, or select it with the mouse.`;
      const start = toCodePointOffset(draft.text, at);
      span = { start, end: start + codePointLength(text), category, severity };
    }
    onChange({ ...draft, spans: [...draft.spans, span].sort((x, y) => x.start - y.start || x.end - y.end) });
    setMarking(null);
    textRef.current?.focus();
    return null;
  };

  return (
    <section className={`output-card${active ? ' active' : ''}`} aria-label={`Output ${draft.slot}`} onFocusCapture={onActivate} onMouseDown={onActivate}>
      <header className="output-header">
        <h3>System {draft.slot}</h3>
        {draft.accepted ? <span className="badge accepted">accepted as is</span> : null}
        {active ? <span className="badge active-badge">active</span> : null}
      </header>
      <OutputText draft={draft} lang={lang} dir={dir} textRef={textRef} onSelect={() => (lastSelection.current = readSelection())} />
      <ScoreInput slot={draft.slot} value={draft.score} onChange={(score) => onChange({ ...draft, score })} />
      <div className="output-actions">
        <button
          type="button"
          className="button"
          // Keeps the text selection alive: a focused button would not clear it, but a mousedown on it might.
          onMouseDown={(e) => {
            lastSelection.current = readSelection();
            e.preventDefault();
          }}
          onClick={mark}
        >
          Mark error <kbd>M</kbd>
        </button>
        <button type="button" className="button" aria-pressed={draft.accepted} onClick={() => onChange({ ...draft, accepted: !draft.accepted })}>
          {draft.accepted ? 'Accepted ✓' : 'Accept as is'} <kbd>A</kbd>
        </button>
        <button type="button" className="button" onClick={edit}>
          Post-edit <kbd>E</kbd>
        </button>
      </div>
      {marking ? <SpanForm slot={draft.slot} selected={marking === 'typed' ? null : marking.text} onAdd={addSpan} onClose={() => (setMarking(null), textRef.current?.focus())} /> : null}
      {draft.spans.length ? (
        <ul className="span-list" aria-label={`Errors in output ${draft.slot}`}>
          {draft.spans.map((s, i) => (
            <li key={`${s.start}-${s.end}-${i}`} className={`sev-${s.severity}`}>
              <span className="span-quote" lang={langAttr(lang)} dir={dir}>
                {s.start === s.end ? '‸ (missing)' : `“${Array.from(draft.text).slice(s.start, s.end).join('')}”`}
              </span>
              <span className="span-meta">
                {categoryLabel(s.category)} · {s.severity}
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove error ${i + 1} (${categoryLabel(s.category)})`}
                onClick={() => onChange({ ...draft, spans: draft.spans.filter((_, k) => k !== i) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {editOpen ? (
        <div className="field post-edit">
          <label htmlFor={`post-edit-${draft.slot}`}>Post-edit of output {draft.slot}</label>
          <textarea
            id={`post-edit-${draft.slot}`}
            ref={editRef}
            lang={langAttr(lang)}
            dir={dir}
            rows={3}
            value={draft.postEdit ?? draft.text}
            onChange={(e) => onChange({ ...draft, postEdit: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                textRef.current?.focus();
              }
            }}
          />
          <div className="hint">
            {draft.postEdit !== null && draft.postEdit.trim() !== draft.text.trim() ? 'Edited: saved as a new corpus pair.' : 'Unchanged from the output.'}{' '}
            <button
              type="button"
              className="button quiet"
              onClick={() => {
                setEditing(false);
                onChange({ ...draft, postEdit: null });
              }}
            >
              Discard post-edit
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
