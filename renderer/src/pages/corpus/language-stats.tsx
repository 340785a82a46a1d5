import { ErrorMessage } from '../../components/error-message';
import { formatCompact, formatInt } from '../../format';
import { useCall } from '../../hooks/use-call';
import { useCorpus } from './corpus-context';
import { LanguageChart } from './language-chart';
import { LanguageTable } from './language-table';

/** Per-language characters and tokens: bars to compare, a table for the exact figures. */
export function LanguageStats() {
  const { version } = useCorpus();
  const { data, error, loading } = useCall('corpus:stats', {}, [version]);

  return (
    <section className="card" aria-labelledby="languages-title">
      <div className="card-header">
        <h2 id="languages-title">Languages</h2>
        {data ? (
          <p className="muted small totals" aria-label="Corpus totals">
            {formatInt(data.totals.sources)} sources · {formatInt(data.totals.documents)} documents ·{' '}
            {formatInt(data.totals.pairs)} pairs · {formatCompact(data.totals.characters)} characters ·{' '}
            {formatCompact(data.totals.tokens)} tokens
          </p>
        ) : null}
      </div>
      <ErrorMessage error={error} prefix="Could not compute the statistics:" />
      {!data && loading ? <p className="muted">Loading…</p> : null}
      {data && data.languages.length === 0 ? <p className="empty">No languages yet.</p> : null}
      {data && data.languages.length > 0 ? (
        <>
          <div className="language-stats">
            <LanguageChart languages={data.languages} />
            <LanguageTable languages={data.languages} />
          </div>
          <p className="muted small">
            Tokens counted with the {data.tokenizer} tokenizer. Fertility is tokens per word: the higher it is, the more the
            tokenizer fragments the language. ≈ marks figures extrapolated from a tokenised sample.
          </p>
        </>
      ) : null}
    </section>
  );
}
