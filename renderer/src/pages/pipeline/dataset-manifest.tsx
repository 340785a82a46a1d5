import type { DatasetManifest } from '../../../../main/api/pipeline-schemas';
import { formatBytes, formatCompact, formatDate, formatInt } from '../../format';
import { Checksum } from './checksum';

type Stage = DatasetManifest['stages'][number];

function StageShards({ stage }: { stage: Stage }) {
  return (
    <details className="shards">
      <summary>
        {stage.name}: {formatInt(stage.shards.length)} {stage.shards.length === 1 ? 'shard' : 'shards'} in <code>{stage.directory}</code>
      </summary>
      <div className="table-scroll shards-scroll">
        <table className="data-table compact" aria-label={`${stage.name} shards`}>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">Records</th>
              <th scope="col" className="num">Size</th>
              <th scope="col">sha256</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
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
      <div className="table-scroll">
        <table className="data-table compact" aria-label="Stages">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">Records</th>
              <th scope="col" className="num">Tokens</th>
              <th scope="col" className="num">Budget</th>
              <th scope="col" className="num">Shards</th>
              <th scope="col" className="num">Peak LR</th>
              <th scope="col">Groups (share)</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
      {manifest.stages.map((s) => (
        <StageShards key={s.name} stage={s} />
      ))}

      <h4>Held out for evaluation loss</h4>
      {manifest.heldOut.length === 0 ? (
        <p className="muted small">Nothing held out.</p>
      ) : (
        <div className="table-scroll heldout-scroll">
          <table className="data-table compact sticky-head" aria-label="Held-out files">
            <thead>
              <tr>
                <th scope="col">Language</th>
                <th scope="col" className="num">Documents</th>
                <th scope="col" className="num">Tokens</th>
                <th scope="col">File</th>
                <th scope="col">sha256</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      )}

      <h4>Sources</h4>
      <div className="table-scroll sources-scroll">
        <table className="data-table compact sticky-head" aria-label="Dataset sources">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Format</th>
              <th scope="col">License</th>
              <th scope="col">sha256</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
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
