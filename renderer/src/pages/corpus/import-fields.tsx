import type { Format } from '../../../../main/api/schemas';
import { asksForLanguage, type ImportForm } from './import-form';

type SetField = <K extends keyof ImportForm>(key: K, value: ImportForm[K]) => void;

interface FieldProps {
  form: ImportForm;
  set: SetField;
}

const LANG_HINT = 'ISO 639-1/3, BCP-47 or xxx_Scrp — e.g. sw, swh, yo-NG, amh_Ethi';

function LangInput({ id, label, value, onChange, optional }: { id: string; label: string; value: string; onChange: (v: string) => void; optional?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional ? <span className="muted"> (if the file does not say)</span> : null}
      </label>
      <input
        id={id}
        type="text"
        value={value}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        placeholder="e.g. sw"
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {LANG_HINT}
      </p>
    </div>
  );
}

/** A free-text field with the detected fields or columns offered as suggestions. */
function MappingInput({
  id,
  label,
  value,
  onChange,
  fields,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  fields: readonly string[];
  placeholder: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        list={`${id}-list`}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${id}-list`}>
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
    </div>
  );
}

interface FormatFieldsProps extends FieldProps {
  format: Format | null;
  fields: readonly string[];
}

/** The fields that only some formats need: language, segmentation, column or field mapping. */
export function FormatFields({ form, set, format, fields }: FormatFieldsProps) {
  return (
    <>
      {format === 'moses' ? (
        <div className="field-row">
          <LangInput id="import-src-lang" label="Source language" value={form.srcLang} onChange={(v) => set('srcLang', v)} />
          <LangInput id="import-tgt-lang" label="Target language" value={form.tgtLang} onChange={(v) => set('tgtLang', v)} />
        </div>
      ) : null}
      {asksForLanguage(format) ? (
        <LangInput
          id="import-lang"
          label="Language"
          value={form.lang}
          optional={format === 'jsonl' || format === 'csv' || format === 'tsv' || format === 'parquet'}
          onChange={(v) => set('lang', v)}
        />
      ) : null}
      {format === 'text' ? (
        <fieldset className="field">
          <legend>One document per</legend>
          <label className="check">
            <input type="radio" name="import-segment" checked={form.segment === 'line'} onChange={() => set('segment', 'line')} />
            line
          </label>
          <label className="check">
            <input
              type="radio"
              name="import-segment"
              checked={form.segment === 'paragraph'}
              onChange={() => set('segment', 'paragraph')}
            />
            paragraph (blank-line separated)
          </label>
        </fieldset>
      ) : null}
      {format === 'jsonl' ? (
        <div className="field-row">
          <MappingInput id="import-text-field" label="Text field" value={form.textField} placeholder="text" fields={fields} onChange={(v) => set('textField', v)} />
          <MappingInput id="import-lang-field" label="Language field (optional)" value={form.langField} placeholder="none" fields={fields} onChange={(v) => set('langField', v)} />
        </div>
      ) : null}
      {format === 'csv' || format === 'tsv' || format === 'parquet' ? (
        <>
          <div className="field-row">
            <MappingInput id="import-text-column" label="Text column" value={form.textColumn} placeholder="name or 0-based index" fields={fields} onChange={(v) => set('textColumn', v)} />
            <MappingInput id="import-lang-column" label="Language column (optional)" value={form.langColumn} placeholder="none" fields={fields} onChange={(v) => set('langColumn', v)} />
          </div>
          {format !== 'parquet' ? (
            <label className="check">
              <input type="checkbox" checked={form.header} onChange={(e) => set('header', e.target.checked)} />
              The first row is a header
            </label>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** Fields every import has: name, role, license, notes, byte handling. */
export function CommonFields({ form, set }: FieldProps) {
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor="import-name">Source name</label>
          <input id="import-name" type="text" value={form.name} placeholder="the file's name" onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="import-role">Role</label>
          <select id="import-role" value={form.role} onChange={(e) => set('role', e.target.value as ImportForm['role'])}>
            <option value="">As the format says (usually train)</option>
            <option value="train">Train</option>
            <option value="eval">Eval (held out)</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="import-license">License</label>
        <input id="import-license" type="text" value={form.license} placeholder="e.g. CC BY 4.0" onChange={(e) => set('license', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="import-notes">Notes</label>
        <textarea id="import-notes" rows={2} value={form.notes} placeholder="Where it comes from, who collected it…" onChange={(e) => set('notes', e.target.value)} />
      </div>
      <label className="check">
        <input type="checkbox" checked={form.replaceInvalid} onChange={(e) => set('replaceInvalid', e.target.checked)} />
        Replace invalid bytes (bad UTF-8) with � instead of refusing the file
      </label>
    </>
  );
}
