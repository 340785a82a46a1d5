import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DocumentRow, Role } from '../../../../main/api/schemas';
import { ErrorMessage } from '../../components/error-message';
import { formatInt } from '../../format';
import { langAttr } from '../../languages';
import { useCorpus } from './corpus-context';
import { DocumentFilters } from './document-filters';
import { usePagedDocuments } from './use-paged-documents';

const ROW_HEIGHT = 34;
const MAX_HEIGHT = 15 * ROW_HEIGHT;
/**
 * Rows per scroll range. Browsers cap an element's height (about 33 million
 * pixels in Chromium, 17 million in Firefox), so a very large corpus is shown
 * in ranges of half a million rows rather than one impossible scroller.
 */
const BLOCK = 500_000;

interface DocumentTableProps {
  onOpen: (id: number) => void;
}

function Row({ index, row }: { index: number; row: DocumentRow | undefined }) {
  if (!row) {
    return (
      <>
        <span role="cell" className="c-num">{formatInt(index + 1)}</span>
        <span role="cell" className="placeholder" aria-label="Loading" />
      </>
    );
  }
  return (
    <>
      <span role="cell" className="c-num">{formatInt(index + 1)}</span>
      <span role="cell" className="c-lang">
        <code>{row.lang}</code>
      </span>
      <span role="cell" className="c-role">{row.role}</span>
      <span role="cell" className="c-ref" title={row.ref ?? undefined}>
        {row.ref ?? ''}
      </span>
      <span role="cell" className="c-text" dir={row.direction} lang={langAttr(row.lang)}>
        {row.text}
      </span>
    </>
  );
}

/** Every document, virtualised: only the rows on screen are rendered and only their pages fetched. */
export function DocumentTable({ onOpen }: DocumentTableProps) {
  const { version } = useCorpus();
  const [lang, setLang] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const filter = useMemo(() => ({ lang: lang || undefined, role: role || undefined }), [lang, role]);
  const docs = usePagedDocuments(filter, version);
  const [block, setBlock] = useState(0);

  const total = docs.total ?? 0;
  const blocks = Math.max(1, Math.ceil(total / BLOCK));
  const currentBlock = Math.min(block, blocks - 1);
  const blockStart = currentBlock * BLOCK;
  const count = Math.max(0, Math.min(BLOCK, total - blockStart));

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;

  const { want } = docs;
  useEffect(() => {
    if (first !== undefined && last !== undefined) want(blockStart + first, blockStart + last);
  }, [want, first, last, blockStart]);

  useEffect(() => {
    // New filter or range: start at the top.
    scrollRef.current?.scrollTo({ top: 0 });
  }, [lang, role, currentBlock]);

  function onRowKey(e: KeyboardEvent<HTMLDivElement>, row: DocumentRow | undefined) {
    if (row && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      onOpen(row.id);
    }
  }

  return (
    <section className="card" aria-labelledby="documents-title">
      <div className="card-header">
        <h2 id="documents-title">Documents</h2>
        <DocumentFilters
          lang={lang}
          role={role}
          onLang={(v) => {
            setLang(v);
            setBlock(0);
          }}
          onRole={(v) => {
            setRole(v);
            setBlock(0);
          }}
        />
        <span className="muted small" aria-live="polite">
          {docs.total === null ? 'Loading…' : `${formatInt(docs.total)} documents`}
        </span>
      </div>
      {docs.error ? (
        <div className="inline-row">
          <ErrorMessage error={docs.error} prefix="Could not load documents:" />
          <button type="button" className="button" onClick={docs.retry}>
            Try again
          </button>
        </div>
      ) : null}
      {blocks > 1 ? (
        <div className="block-nav" role="group" aria-label="Row range">
          <button type="button" className="button" disabled={currentBlock === 0} onClick={() => setBlock(currentBlock - 1)}>
            Previous {formatInt(BLOCK)}
          </button>
          <span>
            Rows {formatInt(blockStart + 1)}–{formatInt(blockStart + count)} of {formatInt(total)}
          </span>
          <button
            type="button"
            className="button"
            disabled={currentBlock >= blocks - 1}
            onClick={() => setBlock(currentBlock + 1)}
          >
            Next {formatInt(BLOCK)}
          </button>
        </div>
      ) : null}
      <div className="doc-table" role="table" aria-label="Documents" aria-rowcount={total + 1}>
        <div className="doc-row doc-head" role="row" aria-rowindex={1}>
          <span role="columnheader" className="c-num">#</span>
          <span role="columnheader">Language</span>
          <span role="columnheader">Role</span>
          <span role="columnheader">Reference</span>
          <span role="columnheader">Text</span>
        </div>
        {docs.total === 0 ? <p className="empty doc-empty">No documents{lang || role ? ' match these filters' : ''}.</p> : null}
        <div
          className="doc-scroll"
          ref={scrollRef}
          role="rowgroup"
          hidden={docs.total === 0}
          // Short lists get a short table; long ones scroll inside a fixed height.
          style={{ height: Math.min(MAX_HEIGHT, Math.max(count, 3) * ROW_HEIGHT) }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const index = blockStart + item.index;
              const row = docs.rowAt(index);
              return (
                <div
                  key={item.key}
                  className="doc-row"
                  role="row"
                  aria-rowindex={index + 2}
                  tabIndex={row ? 0 : -1}
                  data-doc-id={row?.id}
                  onClick={row ? () => onOpen(row.id) : undefined}
                  onKeyDown={(e) => onRowKey(e, row)}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <Row index={index} row={row} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
