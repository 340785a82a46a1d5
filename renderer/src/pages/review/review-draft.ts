import type { ErrorCategory, ItemView, Severity, Slot, Span } from '../../../../main/api/review-schemas';

/** What the reviewer has said so far about one output, before it is saved. */
export interface OutputDraft {
  slot: Slot;
  text: string;
  score: number | null;
  spans: Span[];
  /** Null until the reviewer opens the post-edit box (which starts as the output). */
  postEdit: string | null;
  accepted: boolean;
}

export interface ItemDraft {
  outputs: OutputDraft[];
  /** Items without outputs: the reviewer's own translation. */
  written: string;
}

export function draftOf(item: ItemView): ItemDraft {
  return {
    outputs: item.outputs.map((o) => {
      const j = item.judgements.find((x) => x.slot === o.slot);
      return { slot: o.slot, text: o.text, score: j?.score ?? null, spans: j?.spans ?? [], postEdit: j?.postEdit ?? null, accepted: j?.accepted ?? false };
    }),
    written: item.written ?? '',
  };
}

export function sameDraft(a: ItemDraft, b: ItemDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const CATEGORIES: { value: ErrorCategory; label: string }[] = [
  { value: 'accuracy/mistranslation', label: 'Accuracy: mistranslation' },
  { value: 'accuracy/omission', label: 'Accuracy: omission' },
  { value: 'accuracy/addition', label: 'Accuracy: addition' },
  { value: 'accuracy/untranslated', label: 'Accuracy: untranslated' },
  { value: 'fluency/grammar', label: 'Fluency: grammar' },
  { value: 'fluency/spelling', label: 'Fluency: spelling' },
  { value: 'fluency/punctuation', label: 'Fluency: punctuation' },
  { value: 'fluency/register', label: 'Fluency: register' },
  { value: 'terminology', label: 'Terminology' },
  { value: 'style', label: 'Style' },
  { value: 'other', label: 'Other' },
];

export const SEVERITIES: { value: Severity; label: string; hint: string }[] = [
  { value: 'minor', label: 'Minor', hint: 'noticeable, meaning intact' },
  { value: 'major', label: 'Major', hint: 'changes or obscures the meaning' },
  { value: 'critical', label: 'Critical', hint: 'unusable, misleading or offensive' },
];

export function categoryLabel(c: string): string {
  return CATEGORIES.find((x) => x.value === c)?.label ?? c;
}

/** ESA-style anchors for the 0-100 scale (Kocmi et al. 2024, "Error Span Annotation"). */
export const ANCHORS: { at: number; label: string; description: string }[] = [
  { at: 0, label: 'No meaning', description: 'No meaning preserved: nonsense, or the wrong text' },
  { at: 33, label: 'Some meaning', description: 'Some of the meaning preserved, with significant errors' },
  { at: 66, label: 'Most meaning', description: 'Most of the meaning preserved, a few errors of grammar or wording' },
  { at: 100, label: 'Perfect', description: 'Perfect meaning and grammar' },
];

export function clampScore(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
