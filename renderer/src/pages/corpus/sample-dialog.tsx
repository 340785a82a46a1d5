import { useEffect, useState } from 'react';
import type { SampleImportSummary } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { Modal } from '../../components/modal';
import { formatInt, plural } from '../../format';
import { useJob } from '../../hooks/use-job';
import { useCorpus } from './corpus-context';
import { Warnings } from './import-summary';
import { LangChip } from './lang-label';

export const DEFAULT_SAMPLE_LANGS = 'eng, swh, yor, quy, amh, arb, tha, khm, cmn';

function parseLangs(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

function SampleSummary({ summary }: { summary: SampleImportSummary }) {
  const texts = summary.imported.filter((s) => s.documents > 0);
  const pairSets = summary.imported.filter((s) => s.pairs > 0);
  const documents = texts.reduce((n, s) => n + s.documents, 0);
  const pairs = pairSets.reduce((n, s) => n + s.pairs, 0);
  return (
    <div className="summary" role="status" aria-label="Sample import summary">
      <p className="summary-title">
        Added the Universal Declaration of Human Rights in {plural(texts.length, 'language')}.
      </p>
      <dl className="summary-figures">
        <div>
          <dt>Documents</dt>
          <dd>{formatInt(documents)}</dd>
        </div>
        <div>
          <dt>Aligned pairs</dt>
          <dd>{formatInt(pairs)}</dd>
        </div>
        <div>
          <dt>Sources</dt>
          <dd>{formatInt(summary.imported.length)}</dd>
        </div>
      </dl>
      {texts.length > 0 ? (
        <p>
          {texts.flatMap((s) => s.languages).map((code) => (
            <LangChip key={code} code={code} />
          ))}
        </p>
      ) : null}
      {summary.alreadyPresent.length > 0 ? (
        <p className="muted">Already in the corpus, left as they were: {summary.alreadyPresent.join(', ')}.</p>
      ) : null}
      <Warnings warnings={summary.warnings} />
    </div>
  );
}

/** Adds UDHR translations for the languages the user lists: a ready-made multilingual corpus to try things on. */
export function SampleDialog({ onClose }: { onClose: () => void }) {
  const { refresh } = useCorpus();
  const [langs, setLangs] = useState(DEFAULT_SAMPLE_LANGS);
  const job = useJob<SampleImportSummary>();
  const list = parseLangs(langs);
  const running = job.phase === 'running';

  useEffect(() => {
    if (job.phase === 'done') refresh();
  }, [job.phase, refresh]);

  function start() {
    void job.start((jobId) => client.call('corpus:import-sample', { sample: 'udhr', langs: list, jobId }));
  }

  return (
    <Modal open title="Sample corpus" onClose={onClose} closable={!running}>
      <p>
        The Universal Declaration of Human Rights in the languages you list: the same 30 articles in every language, so
        they come in aligned.
      </p>
      <div className="field">
        <label htmlFor="sample-langs">Languages</label>
        <input
          id="sample-langs"
          type="text"
          value={langs}
          disabled={running}
          spellCheck={false}
          aria-describedby="sample-langs-hint"
          onChange={(e) => setLangs(e.target.value)}
        />
        <p id="sample-langs-hint" className="hint">
          Codes separated by commas: ISO 639-1/3, BCP-47 or xxx_Scrp. {plural(list.length, 'language')}.
        </p>
      </div>
      {job.phase === 'running' || job.phase === 'done' ? (
        <JobProgress
          progress={job.progress}
          finished={job.phase === 'done'}
          onCancel={() => void job.cancel()}
          cancelling={job.cancelling}
        />
      ) : null}
      {job.phase === 'failed' || (running && job.error) ? (
        <ErrorMessage error={job.error} prefix={running ? 'Could not cancel:' : 'The sample import failed:'} />
      ) : null}
      {job.phase === 'cancelled' ? (
        <p className="notice" role="status">
          Cancelled. Nothing was added to the corpus.
        </p>
      ) : null}
      {job.result ? <SampleSummary summary={job.result} /> : null}
      <footer className="modal-footer">
        <button type="button" className="button" onClick={onClose} disabled={running}>
          {job.phase === 'done' ? 'Done' : 'Close'}
        </button>
        {job.phase !== 'done' ? (
          <button type="button" className="button primary" onClick={start} disabled={running || list.length === 0}>
            Add sample corpus
          </button>
        ) : null}
      </footer>
    </Modal>
  );
}
