import type { ComponentType } from 'react';
import { CorpusPage } from './corpus/corpus-page';
import { EvaluatePage } from './evaluate/evaluate-page';
import { ModelsPage } from './models/models-page';
import { PipelinePage } from './pipeline/pipeline-page';
import { ReviewPage } from './review/review-page';
import { SettingsPage } from './settings/settings-page';
import { TrainPage } from './train/train-page';

export interface PageEntry {
  /** The hash route: #/corpus. */
  id: string;
  title: string;
  component: ComponentType;
}

/** The pages that exist, in navigation order. A page is listed once it is built, never as a placeholder. */
export const pages: readonly PageEntry[] = [
  { id: 'corpus', title: 'Corpus', component: CorpusPage },
  { id: 'pipeline', title: 'Pipeline', component: PipelinePage },
  { id: 'train', title: 'Train', component: TrainPage },
  { id: 'evaluate', title: 'Evaluate', component: EvaluatePage },
  { id: 'review', title: 'Translate & Review', component: ReviewPage },
  { id: 'models', title: 'Models', component: ModelsPage },
  { id: 'settings', title: 'Settings', component: SettingsPage },
];
