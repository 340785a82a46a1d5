import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Role, SearchHit, SearchResult } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { formatMs, plural } from '../../format';
import { useCorpus } from './corpus-context';
import { LanguageSelect, RoleSelect } from './document-filters';
import { SearchHitItem } from './search-hit';

const PAGE = 50;
/** Typing pauses this long before a search runs; Enter searches at once. */
const DEBOUNCE_MS = 300;

type Kind = 'documents' | 'pairs';

interface Results extends Omit<SearchResult, 'hits'> {
  hits: SearchHit[];
  kind: Kind;
}

interface SearchPanelProps {
  onOpenDocument: (id: number) => void;
  onOpenPair: (hit: SearchHit) => void;
}

export function SearchPanel({ onOpenDocument, onOpenPair }: SearchPanelProps) {
  const { version } = useCorpus();
  const [query, setQuery] = useState('');
  const [lang, setLang] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [kind, setKind] = useState<Kind>('documents');
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  async function run(offset: number) {
    const q = query.trim();
    const mine = ++seq.current;
    if (!q) {
      setResults(null);
      setError(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    try {
      const r = await client.call('corpus:search', {
        query: q,
        lang: lang || undefined,
        role: role || undefined,
        kind,
        limit: PAGE,
        offset,
      });
      if (mine !== seq.current) return;
      setResults((prev) => ({
        ...r,
        kind,
        hits: offset > 0 && prev ? [...prev.hits, ...r.hits] : r.hits,
      }));
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      setError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }

  // Search as the user types (debounced), and again when the filters or the corpus change.
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const timer = window.setTimeout(() => void runRef.current(0), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [query, lang, role, kind, version]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(0);
  }

  return (
    <section className="card" aria-labelledby="search-title">
      <div className="card-header">
        <h2 id="search-title">Search</h2>
      </div>
      <form className="search-form" role="search" onSubmit={onSubmit}>
        <input
          type="search"
          className="search-input"
          aria-label="Search text"
          placeholder="Search the corpus (any script; 3+ characters use the index)"
          value={query}
          dir="auto"
          onChange={(e) => setQuery(e.target.value)}
        />
        <LanguageSelect id="search-lang" value={lang} onChange={setLang} />
        <RoleSelect id="search-role" value={role} onChange={setRole} />
        <fieldset className="segmented">
          <legend className="visually-hidden">Search in</legend>
          {(['documents', 'pairs'] as const).map((k) => (
            <label key={k} className={kind === k ? 'active' : ''}>
              <input type="radio" name="search-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k === 'documents' ? 'Documents' : 'Pairs'}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button primary">
          Search
        </button>
      </form>
      <ErrorMessage error={error} prefix="Search failed:" />
      {results ? (
        <div className="search-results">
          <p className="muted small" aria-live="polite" data-testid="search-summary">
            {results.hits.length === 0
              ? 'No matches'
              : `${plural(results.hits.length, results.kind === 'pairs' ? 'pair' : 'match', results.kind === 'pairs' ? 'pairs' : 'matches')}${results.more ? ' shown, more available' : ''}`}{' '}
            · {formatMs(results.ms)} · {results.method === 'trigram' ? 'trigram index' : 'full scan (short query)'}
            {loading ? ' · searching…' : ''}
          </p>
          <ol className="hits">
            {results.hits.map((hit) => (
              <SearchHitItem
                key={`${hit.kind}-${hit.id}`}
                hit={hit}
                onOpen={() => (hit.kind === 'pair' ? onOpenPair(hit) : onOpenDocument(hit.id))}
              />
            ))}
          </ol>
          {results.more ? (
            <button type="button" className="button" onClick={() => void run(results.hits.length)} disabled={loading}>
              {loading ? 'Loading…' : 'More results'}
            </button>
          ) : null}
        </div>
      ) : loading ? (
        <p className="muted small">Searching…</p>
      ) : null}
    </section>
  );
}
