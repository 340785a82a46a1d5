import type { SearchHit } from '../../../../main/api/schemas';
import { HighlightedText } from '../../components/highlighted-text';
import { langAttr } from '../../languages';
import { LangLabel } from './lang-label';

interface SideProps {
  lang: string;
  direction: 'ltr' | 'rtl';
  text: SearchHit['text'];
}

function Side({ lang, direction, text }: SideProps) {
  return (
    <span className="hit-side">
      <span className="hit-lang">
        <LangLabel code={lang} />
      </span>
      <span className="hit-text" dir={direction} lang={langAttr(lang)}>
        <HighlightedText text={text.text} matches={text.matches} />
      </span>
    </span>
  );
}

/** One search result; pairs show both sides. The whole item opens the detail. */
export function SearchHitItem({ hit, onOpen }: { hit: SearchHit; onOpen: () => void }) {
  return (
    <li>
      <button type="button" className={`hit hit-${hit.kind}`} onClick={onOpen}>
        <span className="hit-meta">
          {hit.ref ? <span>{hit.ref}</span> : null}
          <span className="badge">{hit.role}</span>
        </span>
        <span className="hit-body">
          <Side lang={hit.lang} direction={hit.direction} text={hit.text} />
          {hit.partner ? <Side lang={hit.partner.lang} direction={hit.partner.direction} text={hit.partner.text} /> : null}
        </span>
      </button>
    </li>
  );
}
