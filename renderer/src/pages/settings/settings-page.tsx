import { useState } from 'react';
import type { DoctorReport } from '../../../../main/api/train-schemas';
import { client, errorMessage } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { formatBytes } from '../../format';
import { useCall } from '../../hooks/use-call';
import { useEnvProgress } from '../../hooks/use-env-progress';

interface TrainerFacts {
  packages?: Record<string, { version: string | null; purpose?: string }>;
  torch?: { version: string | null; cuda: string | null; cuda_available: boolean };
  disk?: { path: string; free_bytes: number; total_bytes: number };
  ready_to_train?: boolean;
}

function MachineReport({ report }: { report: DoctorReport }) {
  const t = (report.trainer ?? {}) as TrainerFacts;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Python</dt>
          <dd>{report.python ? `${report.python.version} (${report.python.path})` : 'not found'}</dd>
        </div>
        <div>
          <dt>Trainer environment</dt>
          <dd data-testid="env-state">{report.environment.ready ? `ready: ${report.environment.python}` : 'not installed'}</dd>
        </div>
        {t.torch ? (
          <div>
            <dt>PyTorch</dt>
            <dd>
              {t.torch.version ?? 'missing'}
              {t.torch.cuda ? ` (built for CUDA ${t.torch.cuda}${t.torch.cuda_available ? '' : '; no CUDA device available'})` : ' (CPU build)'}
            </dd>
          </div>
        ) : null}
        {t.disk ? (
          <div>
            <dt>Free disk (workspace)</dt>
            <dd>
              {formatBytes(t.disk.free_bytes)} of {formatBytes(t.disk.total_bytes)}
            </dd>
          </div>
        ) : null}
      </dl>
      <h3>GPUs</h3>
      {report.gpus.length ? (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Memory
              </th>
              <th scope="col">bf16</th>
            </tr>
          </thead>
          <tbody>
            {report.gpus.map((g) => (
              <tr key={g.index}>
                <td>{g.index}</td>
                <td>{g.name}</td>
                <td className="num">{g.memory_gib} GiB</td>
                <td>{g.bf16 ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="notice">{report.environment.ready ? 'No CUDA GPU: only the tiny demo model can be trained here (on the CPU).' : 'Unknown until the trainer environment is installed.'}</p>
      )}
      {t.packages ? (
        <>
          <h3>Python packages</h3>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Version</th>
                <th scope="col">For</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(t.packages).map(([name, p]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{p.version ?? <span className="badge badge-danger">missing</span>}</td>
                  <td className="muted">{p.purpose ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {report.notes.length ? (
        <>
          <h3>Notes</h3>
          <ul className="doctor-notes">
            {report.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** Settings: this workspace, and what this machine can train with (the doctor). */
export function SettingsPage() {
  const info = useCall('workspace:info', {}, []);
  const [tick, setTick] = useState(0);
  const doctor = useCall('train:doctor', { install: false }, [tick]);
  const [installing, setInstalling] = useState(false);
  const [installError, setInstallError] = useState<string | null>(null);
  const progress = useEnvProgress();

  async function install() {
    setInstalling(true);
    setInstallError(null);
    try {
      await client.call('train:doctor', { install: true });
      setTick((t) => t + 1);
    } catch (err) {
      setInstallError(errorMessage(err));
    } finally {
      setInstalling(false);
    }
  }

  return (
    <div className="settings-page">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="muted">This workspace, and what this machine can train with.</p>
        </div>
      </header>
      <section className="card" aria-labelledby="ws-title">
        <div className="card-header">
          <h2 id="ws-title">Workspace</h2>
        </div>
        <ErrorMessage error={info.error} />
        {info.data ? (
          <dl className="facts">
            <div>
              <dt>Folder</dt>
              <dd>
                <code>{info.data.path}</code>
              </dd>
            </div>
            <div>
              <dt>Corpus database</dt>
              <dd>
                <code>{info.data.dbPath}</code> (schema version {info.data.schemaVersion})
              </dd>
            </div>
            <div>
              <dt>Langbridge</dt>
              <dd>{info.data.version}</dd>
            </div>
          </dl>
        ) : null}
      </section>
      <section className="card" aria-labelledby="doctor-title">
        <div className="card-header">
          <h2 id="doctor-title">Training on this machine</h2>
          <div className="page-actions">
            <button type="button" className="button" disabled={doctor.loading || installing} onClick={() => setTick((t) => t + 1)}>
              Check again
            </button>
            {doctor.data && !doctor.data.environment.ready && doctor.data.python ? (
              <button type="button" className="button primary" disabled={installing} onClick={() => void install()}>
                {installing ? 'Installing…' : 'Install the trainer environment'}
              </button>
            ) : null}
          </div>
        </div>
        {installing ? <ProgressBar fraction={progress?.total ? progress.done / progress.total : null} label={progress ? `Installing: ${progress.step}` : 'Installing…'} detail="torch, transformers and peft from PyPI, the first time (a few GB)" /> : null}
        {installError ? (
          <p className="error-message" role="alert">
            {installError}
          </p>
        ) : null}
        <ErrorMessage error={doctor.error} prefix="Could not check this machine:" />
        {doctor.loading && !doctor.data ? <p className="muted">Checking Python, PyTorch and the GPUs…</p> : null}
        {doctor.data ? <MachineReport report={doctor.data} /> : null}
      </section>
    </div>
  );
}
