// Migrations are numbered SQL files (steps of 10), bundled into the build as
// strings so the packaged app needs no loose files.
const files = import.meta.glob('./migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = Object.entries(files)
  .map(([path, sql]) => {
    const name = path.replace(/^.*\//, '').replace(/\.sql$/, '');
    const version = Number(name.split('-')[0]);
    if (!Number.isInteger(version)) throw new Error(`migration file without a number: ${path}`);
    return { version, name, sql };
  })
  .sort((a, b) => a.version - b.version);

export const latestVersion = migrations.at(-1)?.version ?? 0;
