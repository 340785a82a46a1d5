import { client } from '../api/client';
import { useCall } from '../hooks/use-call';

/** Which workspace this window works on, so nobody imports into the wrong one. */
export function WorkspaceFooter() {
  const { data, error } = useCall('workspace:info', {}, []);
  return (
    <div className="workspace">
      {data ? (
        <>
          <span className="workspace-label">Workspace</span>
          {/* Right-to-left box with an isolated left-to-right path: a long path is cut at its start, not its end. */}
          <span className="workspace-path" title={data.path}>
            <bdi dir="ltr">{data.path}</bdi>
          </span>
          <span className="muted small">
            v{data.version} · {client.transport === 'electron' ? 'desktop' : 'browser'}
          </span>
        </>
      ) : null}
      {error ? (
        <p className="error-message small" role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
