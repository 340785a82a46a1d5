import type { Role } from '../../../../main/api/schemas';
import { languageLabel } from '../../languages';
import { useCorpus } from './corpus-context';

interface LanguageSelectProps {
  id: string;
  value: string;
  onChange: (code: string) => void;
}

export function LanguageSelect({ id, value, onChange }: LanguageSelectProps) {
  const { languageList, languages } = useCorpus();
  return (
    <span className="field-inline">
      <label htmlFor={id}>Language</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All languages</option>
        {languageList.map((l) => (
          <option key={l.code} value={l.code}>
            {languageLabel(l.code, languages)}
          </option>
        ))}
      </select>
    </span>
  );
}

interface RoleSelectProps {
  id: string;
  value: Role | '';
  onChange: (role: Role | '') => void;
}

export function RoleSelect({ id, value, onChange }: RoleSelectProps) {
  return (
    <span className="field-inline">
      <label htmlFor={id}>Role</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role | '')}>
        <option value="">Train and eval</option>
        <option value="train">Train</option>
        <option value="eval">Eval</option>
      </select>
    </span>
  );
}

interface DocumentFiltersProps {
  lang: string;
  role: Role | '';
  onLang: (code: string) => void;
  onRole: (role: Role | '') => void;
}

export function DocumentFilters({ lang, role, onLang, onRole }: DocumentFiltersProps) {
  return (
    <div className="filters" role="group" aria-label="Document filters">
      <LanguageSelect id="documents-lang" value={lang} onChange={onLang} />
      <RoleSelect id="documents-role" value={role} onChange={onRole} />
    </div>
  );
}
