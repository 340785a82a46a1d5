/** A sha256 cut to its first characters; the whole one in the tooltip and for copying. */
export function Checksum({ sha256 }: { sha256: string }) {
  return (
    <code className="checksum" title={sha256} aria-label={`sha256 ${sha256}`}>
      {sha256.slice(0, 12)}…
    </code>
  );
}
