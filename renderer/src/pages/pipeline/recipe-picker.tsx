import { useId } from 'react';
import type { CallOutput } from '../../../../main/api/contract';

export type RecipeListing = CallOutput<'pipeline:recipes'>[number];

export function listingKey(l: Pick<RecipeListing, 'kind' | 'name'>): string {
  return `${l.kind}:${l.name}`;
}

interface RecipePickerProps {
  listings: readonly RecipeListing[];
  value: string | null;
  onChoose: (listing: RecipeListing) => void;
}

/** Presets first, then the workspace's saved recipes. */
export function RecipePicker({ listings, value, onChoose }: RecipePickerProps) {
  const id = useId();
  const presets = listings.filter((l) => l.kind === 'preset');
  const saved = listings.filter((l) => l.kind === 'saved');
  return (
    <span className="field-inline">
      <label htmlFor={id}>Recipe</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => {
          const chosen = listings.find((l) => listingKey(l) === e.target.value);
          if (chosen) onChoose(chosen);
        }}
      >
        {value === null ? <option value="">Choose…</option> : null}
        <optgroup label="Presets">
          {presets.map((l) => (
            <option key={listingKey(l)} value={listingKey(l)}>
              {l.name}
            </option>
          ))}
        </optgroup>
        {saved.length > 0 ? (
          <optgroup label="Saved">
            {saved.map((l) => (
              <option key={listingKey(l)} value={listingKey(l)}>
                {l.name} (saved, revision {l.revision})
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </span>
  );
}
