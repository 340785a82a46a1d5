import { languageLabel, languageName } from '../../languages';
import { useCorpus } from './corpus-context';

/** A language's name and code, e.g. "Amharic (amh)". */
export function LangLabel({ code }: { code: string }) {
  const { languages } = useCorpus();
  return <span className="lang-label">{languageLabel(code, languages)}</span>;
}

/** A compact language tag: the code, with the name as a tooltip and for screen readers. */
export function LangChip({ code }: { code: string }) {
  const { languages } = useCorpus();
  const name = languageName(code, languages);
  return (
    <span className="lang-chip" title={languageLabel(code, languages)}>
      {name !== code ? <span className="lang-chip-name">{name}</span> : null}
      <code>{code}</code>
    </span>
  );
}
