import { useEffect, useRef } from 'react';
import { ClientError } from '../api/client';

/**
 * An error in words, where it happened: announced to screen readers as it
 * appears, and scrolled into view when it appears below the fold of a dialog.
 */
export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const message = error ? (error instanceof Error ? error.message : String(error)) : '';
  useEffect(() => {
    if (message) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [message]);
  if (!error) return null;
  const where =
    error instanceof ClientError && error.error.file && !message.includes(error.error.file)
      ? ` (${error.error.file}${error.error.line !== undefined ? `, line ${error.error.line}` : ''})`
      : '';
  return (
    <p ref={ref} className="error-message" role="alert">
      {prefix ? <strong>{prefix} </strong> : null}
      {message}
      {where}
    </p>
  );
}
