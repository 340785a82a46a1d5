import { useState } from 'react';
import type { SearchHit } from '../../../../main/api/schemas';
import { useFileDrop } from '../../hooks/use-file-drop';
import { CorpusProvider } from './corpus-context';
import { DocumentDetail } from './document-detail';
import { DocumentTable } from './document-table';
import { ImportDialog } from './import-dialog';
import { LanguageStats } from './language-stats';
import { PairDetail } from './pair-detail';
import { RunningJobs } from './running-jobs';
import { SampleDialog } from './sample-dialog';
import { SearchPanel } from './search-panel';
import { SourcesList } from './sources-list';

type Open =
  | { kind: 'none' }
  | { kind: 'import'; files: File[]; session: number }
  | { kind: 'sample' };

function CorpusView() {
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [documentId, setDocumentId] = useState<number | null>(null);
  const [pair, setPair] = useState<SearchHit | null>(null);
  const [session, setSession] = useState(0);

  function openImport(files: File[]) {
    setSession((s) => s + 1);
    setOpen({ kind: 'import', files, session: session + 1 });
  }

  // A file dropped anywhere on the page opens the import dialog with it.
  const dragging = useFileDrop(open.kind === 'none' && documentId === null && pair === null, openImport);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Corpus</h1>
          <p className="muted">The texts your model will learn from, by source and language.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="button" onClick={() => setOpen({ kind: 'sample' })}>
            Sample corpus…
          </button>
          <button type="button" className="button primary" onClick={() => openImport([])}>
            Import…
          </button>
        </div>
      </header>
      <RunningJobs />
      <SourcesList />
      <LanguageStats />
      <SearchPanel onOpenDocument={setDocumentId} onOpenPair={setPair} />
      <DocumentTable onOpen={setDocumentId} />
      {open.kind === 'import' ? (
        <ImportDialog key={open.session} initialFiles={open.files} onClose={() => setOpen({ kind: 'none' })} />
      ) : null}
      {open.kind === 'sample' ? <SampleDialog onClose={() => setOpen({ kind: 'none' })} /> : null}
      <DocumentDetail id={documentId} onClose={() => setDocumentId(null)} />
      <PairDetail hit={pair} onClose={() => setPair(null)} />
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop a file to import it</p>
        </div>
      ) : null}
    </>
  );
}

export function CorpusPage() {
  return (
    <CorpusProvider>
      <CorpusView />
    </CorpusProvider>
  );
}
