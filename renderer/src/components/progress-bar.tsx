interface ProgressBarProps {
  /** Null for work whose size is not known yet (an indeterminate bar). */
  fraction: number | null;
  label: string;
  detail?: string;
}

export function ProgressBar({ fraction, label, detail }: ProgressBarProps) {
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div className="progress">
      <div className="progress-text">
        <span>{label}</span>
        {detail ? <span className="muted">{detail}</span> : null}
      </div>
      <div
        className={`progress-track${pct === null ? ' progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={pct === null ? 'starting' : `${pct}%`}
      >
        <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
    </div>
  );
}
