import type { SearchHit } from '../../../../main/api/schemas';
import { HighlightedText } from '../../components/highlighted-text';
import { Modal } from '../../components/modal';
import { langAttr } from '../../languages';
import { LangLabel } from './lang-label';

/** A translation pair from the search results, both sides in full. */
export function PairDetail({ hit, onClose }: { hit: SearchHit | null; onClose: () => void }) {
  return (
    <Modal open={hit !== null} title="Translation pair" onClose={onClose} variant="drawer">
      {hit ? (
        <div className="document-detail">
          <dl className="facts">
            <dt>Reference</dt>
            <dd>{hit.ref ?? <span className="muted">—</span>}</dd>
            <dt>Role</dt>
            <dd>{hit.role}</dd>
          </dl>
          <ul className="aligned">
            <li>
              <span className="aligned-lang">
                <LangLabel code={hit.lang} />
              </span>
              <p dir={hit.direction} lang={langAttr(hit.lang)}>
                <HighlightedText text={hit.text.text} matches={hit.text.matches} maxLength={Infinity} />
              </p>
            </li>
            {hit.partner ? (
              <li>
                <span className="aligned-lang">
                  <LangLabel code={hit.partner.lang} />
                </span>
                <p dir={hit.partner.direction} lang={langAttr(hit.partner.lang)}>
                  <HighlightedText text={hit.partner.text.text} matches={hit.partner.text.matches} maxLength={Infinity} />
                </p>
              </li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </Modal>
  );
}
