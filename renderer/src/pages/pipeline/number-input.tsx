import { useEffect, useState, type InputHTMLAttributes } from 'react';

interface NumberInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  value: number | null | undefined;
  onChange: (value: number) => void;
}

/**
 * A number field that keeps what is being typed ("-", "0.") until it is a
 * number: only whole numbers reach the recipe, and a number that breaks the
 * schema (a negative count) is passed on for the recipe check to name.
 */
export function NumberInput({ value, onChange, ...rest }: NumberInputProps) {
  const [text, setText] = useState(value === null || value === undefined ? '' : String(value));

  useEffect(() => {
    // The recipe changed from elsewhere (another preset, the JSON view): show it,
    // unless the text already says the same number ("1.0" and 1).
    setText((t) => (t.trim() !== '' && Number(t) === value ? t : value === null || value === undefined ? '' : String(value)));
  }, [value]);

  return (
    <input
      type="number"
      inputMode="decimal"
      step="any"
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const n = e.target.valueAsNumber;
        if (e.target.value.trim() !== '' && Number.isFinite(n)) onChange(n);
      }}
    />
  );
}
