import { useId, useState } from 'react';
import type { Step } from '../../../../main/services/pipeline/recipe';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { ParamField } from './param-field';
import { paramFields, type FieldSpec } from './param-fields';
import type { Issue } from './use-recipe-check';

interface StepOverridesProps {
  step: Step;
  stepName: string;
  /** Issues under steps.N.overrides. */
  issues: readonly Issue[];
  pathPrefix: string;
  onAdd: (lang: string) => void;
  onRemove: (lang: string) => void;
  onSet: (lang: string, key: string, value: unknown) => void;
  onUnset: (lang: string, key: string) => void;
}

const ENABLED_FIELD: FieldSpec = { key: 'enabled', label: 'Step enabled', nullable: false, fallback: true, type: 'boolean' };

function OverrideBlock({ lang, values, step, stepName, issues, pathPrefix, onRemove, onSet, onUnset }: {
  lang: string;
  values: Record<string, unknown>;
  step: Step;
  stepName: string;
  issues: readonly Issue[];
  pathPrefix: string;
  onRemove: () => void;
  onSet: (key: string, value: unknown) => void;
  onUnset: (key: string) => void;
}) {
  const { languages } = useCorpus();
  const selectId = useId();
  const fields = [ENABLED_FIELD, ...paramFields(step.kind)];
  const set = fields.filter((f) => f.key in values);
  const unset = fields.filter((f) => !(f.key in values));
  const params = step.params as Record<string, unknown>;
  const name = languageLabel(lang, languages);
  return (
    <li className="override" data-override-lang={lang}>
      <div className="override-head">
        <strong>{name}</strong>
        {unset.length > 0 ? (
          <span className="field-inline">
            <label htmlFor={selectId}>Override</label>
            <select
              id={selectId}
              aria-label={`Override a parameter of ${stepName} for ${lang}`}
              value=""
              onChange={(e) => {
                const field = fields.find((f) => f.key === e.target.value);
                // Start from the step's own value, which the override then changes.
                if (field) onSet(field.key, field.key === 'enabled' ? !step.enabled : params[field.key]);
              }}
            >
              <option value="">a parameter…</option>
              {unset.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
            </select>
          </span>
        ) : null}
        <button type="button" className="button subtle" aria-label={`Remove the ${name} override of ${stepName}`} onClick={onRemove}>
          Remove
        </button>
      </div>
      {set.length === 0 ? <p className="hint">No parameter overridden yet: {stepName} runs with the step’s values for {lang}.</p> : null}
      <div className="param-grid">
        {set.map((f) => (
          <ParamField
            key={f.key}
            field={f}
            value={values[f.key]}
            context={lang}
            issues={issues.filter((i) => i.path === `${pathPrefix}.${lang}.${f.key}`)}
            onChange={(v) => onSet(f.key, v)}
            onRemove={() => onUnset(f.key)}
          />
        ))}
      </div>
    </li>
  );
}

/** Per-language overrides of a step: a language (or a language without script, "zho", for every script) and the values it changes. */
export function StepOverrides({ step, stepName, issues, pathPrefix, onAdd, onRemove, onSet, onUnset }: StepOverridesProps) {
  const { languageList, languages } = useCorpus();
  const [lang, setLang] = useState('');
  const inputId = useId();
  const listId = useId();
  const overrides = step.overrides as Record<string, Record<string, unknown>>;
  const langs = Object.keys(overrides);
  const code = lang.trim();

  return (
    <div className="overrides">
      <h4>Per-language overrides</h4>
      {langs.length > 0 ? (
        <ul className="override-list">
          {langs.map((l) => (
            <OverrideBlock
              key={l}
              lang={l}
              values={overrides[l] ?? {}}
              step={step}
              stepName={stepName}
              issues={issues}
              pathPrefix={pathPrefix}
              onRemove={() => onRemove(l)}
              onSet={(k, v) => onSet(l, k, v)}
              onUnset={(k) => onUnset(l, k)}
            />
          ))}
        </ul>
      ) : null}
      <form
        className="inline-row add-override"
        onSubmit={(e) => {
          e.preventDefault();
          if (!code) return;
          onAdd(code);
          setLang('');
        }}
      >
        <label htmlFor={inputId} className="small">
          Language
        </label>
        <input
          id={inputId}
          type="text"
          list={listId}
          value={lang}
          placeholder="e.g. swh_Latn, or zho"
          title="A language code (swh_Latn), a code without script (zho: every script), or a pair direction (eng_Latn-swh_Latn)"
          onChange={(e) => setLang(e.target.value)}
        />
        <datalist id={listId}>
          {languageList.map((l) => (
            <option key={l.code} value={l.code}>
              {languageLabel(l.code, languages)}
            </option>
          ))}
        </datalist>
        <button type="submit" className="button" disabled={!code || code in overrides}>
          Add override
        </button>
      </form>
    </div>
  );
}
