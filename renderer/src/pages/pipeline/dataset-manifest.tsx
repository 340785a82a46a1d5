import type { ReactNode } from 'react';
import type { DatasetManifest } from '../../../../main/api/pipeline-schemas';
import { formatBytes, formatCompact, formatDate, formatInt } from '../../format';
import { Checksum } from './checksum';

type Stage = DatasetManifest['stages'][number];

/** A column heading; a numeric column is right-aligned. */
type Column = string | { label: string; num: true };
const num = (label: string): Column => ({ label, num: true });

/** One of the manifest's compact tables: its column headings, and its rows as children. */
function ManifestTable({ label, scroll, stickyHead = false, columns, children }: { label: string; scroll?: string; stickyHead?: boolean; columns: readonly Column[]; children: ReactNode }) {
  return (
    <div className={scroll ? `table-scroll ${scroll}` : 'table-scroll'}>
      <table className={`data-table compact${stickyHead ? ' sticky-head' : ''}`} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col" className="num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function StageShards({ stage }: { stage: Stage }) {
  return (
    <details className="shards">
      <summary>
        {stage.name}: {formatInt(stage.shards.length)} {stage.shards.length === 1 ? 'shard' : 'shards'} in <code>{stage.directory}</code>
      </summary>
      <ManifestTable label={`${stage.name} shards`} scroll="shards-scroll" columns={['File', num('Records'), num('Size'), 'sha256']}>
        {stage.shards.map((s) => (
          <tr key={s.path}>
            <td>
              <code>{s.path}</code>
            </td>
            <td className="num">{formatInt(s.records)}</td>
            <td className="num">{formatBytes(s.bytes)}</td>
            <td>
              <Checksum sha256={s.sha256} />
            </td>
          </tr>
        ))}
      </ManifestTable>
    </details>
  );
}

/** What a trainer and a reviewer want from manifest.json: stages, held-out files, sources and their licenses, seed, checksums. */
export function DatasetManifestView({ manifest }: { manifest: DatasetManifest }) {
  return (
    <div className="manifest">
      <dl className="facts manifest-facts">
        <dt>Recipe</dt>
        <dd>
          {manifest.recipe.name} <span className="muted small">seed {manifest.seed}</span>
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDate(manifest.createdAt)} <span className="muted small">Langbridge {manifest.appVersion}</span>
        </dd>
        <dt>Format</dt>
        <dd>
          {manifest.shardFormat}, records of <code>{manifest.recordFields.join(', ')}</code>
        </dd>
        <dt>Tokens</dt>
        <dd>
          {manifest.tokenizer.name}
          {manifest.tokenizer.estimated ? ' (estimated from characters)' : ''}
        </dd>
        <dt>Pipeline</dt>
        <dd>
          {formatInt(manifest.pipeline.documentsIn)} → {formatInt(manifest.pipeline.documentsOut)} documents, {formatInt(manifest.pipeline.pairsIn)} →{' '}
          {formatInt(manifest.pipeline.pairsOut)} pairs
        </dd>
      </dl>

      <h4>Stages</h4>
      <ManifestTable label="Stages" columns={['Stage', num('Records'), num('Tokens'), num('Budget'), num('Shards'), num('Peak LR'), 'Groups (share)']}>
        {manifest.stages.map((s) => (
          <tr key={s.name}>
            <th scope="row">{s.name}</th>
            <td className="num">{formatInt(s.records)}</td>
            <td className="num">{formatInt(s.tokens)}</td>
            <td className="num">{formatInt(s.budget)}</td>
            <td className="num">{formatInt(s.shards.length)}</td>
            <td className="num">{s.peakLr ?? '—'}</td>
            <td className="small">
              {s.groups
                .filter((g) => g.tokens > 0)
                .map((g) => `${g.id} ${Math.round(g.share * 100)}%`)
                .join(' · ')}
            </td>
          </tr>
        ))}
      </ManifestTable>
      {manifest.stages.map((s) => (
        <StageShards key={s.name} stage={s} />
      ))}

      <h4>Held out for evaluation loss</h4>
      {manifest.heldOut.length === 0 ? (
        <p className="muted small">Nothing held out.</p>
      ) : (
        <ManifestTable label="Held-out files" scroll="heldout-scroll" stickyHead columns={['Language', num('Documents'), num('Tokens'), 'File', 'sha256']}>
          {manifest.heldOut.map((h) => (
            <tr key={h.path}>
              <th scope="row">
                <code>{h.lang}</code>
              </th>
              <td className="num">{formatInt(h.documents)}</td>
              <td className="num">{formatCompact(h.tokens)}</td>
              <td>
                <code>{h.path}</code>
              </td>
              <td>
                <Checksum sha256={h.sha256} />
              </td>
            </tr>
          ))}
        </ManifestTable>
      )}

      <h4>Sources</h4>
      <ManifestTable label="Dataset sources" scroll="sources-scroll" stickyHead columns={['Source', 'Format', 'License', 'sha256']}>
        {manifest.sources.map((s) => (
          <tr key={s.id}>
            <th scope="row">{s.name}</th>
            <td>
              <span className="badge">{s.format}</span>
            </td>
            <td>{s.license ?? <span className="muted">none recorded</span>}</td>
            <td>
              <Checksum sha256={s.sha256} />
            </td>
          </tr>
        ))}
      </ManifestTable>
      {manifest.warnings.length > 0 ? (
        <>
          <h4>Warnings</h4>
          <ul className="warnings-list">
            {manifest.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
