import { useState, type ComponentType } from 'react';
import { CorpusProvider } from '../corpus/corpus-context';
import { TranslatePanel } from '../translate/translate-panel';
import { ReviewTab } from './review-tab';
import './review.css';

interface Tab {
  id: string;
  label: string;
  component: ComponentType;
}

/** The page's tabs, in order: translating with an exported model, then judging translations. */
const TABS: readonly Tab[] = [
  { id: 'translate', label: 'Translate', component: TranslatePanel },
  { id: 'review', label: 'Review', component: ReviewTab },
];

export function ReviewPage() {
  const [tab, setTab] = useState(TABS[0]!.id);
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]!;
  const Current = current.component;
  return (
    <CorpusProvider>
      <div className="review-page">
        <header className="page-header">
          <div>
            <h1>Translate &amp; Review</h1>
            <p className="muted">
              Judge translations the way evaluation campaigns do: a 0–100 score, error spans with a category and severity, or a post-edit. Post-edits and accepted outputs join the corpus as
              “reviewed translations”, ready for the next pipeline run.
            </p>
          </div>
        </header>
        <div className="page-tabs" role="tablist" aria-label="Translate and review">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={t.id === current.id}
              aria-controls={`panel-${t.id}`}
              className={t.id === current.id ? 'active' : undefined}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
          <Current />
        </div>
      </div>
    </CorpusProvider>
  );
}
