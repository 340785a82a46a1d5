/**
 * The README.md that goes with an exported dataset: a Hugging Face style
 * dataset card written from the manifest, so what it says is what was built.
 */
import type { DatasetManifest } from '../../api/pipeline-schemas';

const n = (x: number) => x.toLocaleString('en-US');

export function datasetCard(m: DatasetManifest, format: 'jsonl' | 'parquet'): string {
  const langs = [...new Set(m.stages.flatMap((s) => s.languages.map((l) => l.lang)).filter((l) => !l.includes('-')))].sort();
  const licenses = [...new Set(m.sources.map((s) => s.license ?? 'unknown'))];
  const lines: string[] = [
    '---',
    `pretty_name: ${JSON.stringify(m.name)}`,
    'language:',
    ...langs.map((l) => `- ${l.split('_')[0]}`),
    `license: ${licenses.length === 1 && licenses[0] !== 'unknown' ? licenses[0] : 'other'}`,
    'task_categories:',
    '- text-generation',
    '---',
    '',
    `# ${m.name}`,
    '',
    `Continual-pretraining data built by Langbridge ${m.appVersion} on ${m.createdAt} with the recipe "${m.recipe.name}" (seed ${m.seed}).`,
    m.recipe.description ? `\n${m.recipe.description}\n` : '',
    `Files are ${format === 'jsonl' ? 'JSON Lines' : 'Parquet'}; every record has ${m.recordFields.map((f) => `\`${f}\``).join(', ')}. ` +
      '`origin` names the corpus item (document or translation pair, its id and source) a record came from; pairs also carry the direction and template.',
    '',
    '## Stages',
    '',
    '| stage | records | tokens (estimated) | peak LR |',
    '|---|---:|---:|---:|',
    ...m.stages.map((s) => `| ${s.name} (\`${s.directory}/\`) | ${n(s.records)} | ${n(s.tokens)} | ${s.peakLr ?? '—'} |`),
    '',
    ...m.stages.flatMap((s) => [
      `### ${s.name}: groups`,
      '',
      '| group | tokens | share | planned share |',
      '|---|---:|---:|---:|',
      ...s.groups.map((g) => `| ${g.id} | ${n(g.tokens)} | ${(g.share * 100).toFixed(1)}% | ${(g.plannedShare * 100).toFixed(1)}% |`),
      '',
      '| language | group | records | tokens | epochs |',
      '|---|---|---:|---:|---:|',
      ...s.languages.map((l) => `| ${l.lang} | ${l.group} | ${n(l.records)} | ${n(l.tokens)} | ${l.epochs.toFixed(2)} |`),
      '',
    ]),
    '## Held-out split (for evaluation loss; never in a stage)',
    '',
    '| language | documents | tokens |',
    '|---|---:|---:|',
    ...m.heldOut.map((h) => `| ${h.lang} | ${n(h.documents)} | ${n(h.tokens)} |`),
    '',
    '## Cleaning',
    '',
    `${n(m.pipeline.documentsIn)} documents and ${n(m.pipeline.pairsIn)} pairs went in; ${n(m.pipeline.documentsOut)} documents and ${n(m.pipeline.pairsOut)} pairs were kept. ` +
      `${n(m.pipeline.evalItems)} evaluation items were checked for contamination and are not part of this dataset.`,
    '',
    '| step | removed | changed | flagged |',
    '|---|---:|---:|---:|',
    ...m.pipeline.steps.map((s) => `| ${s.index + 1}. ${s.kind} | ${n(s.removed)} | ${n(s.changed)} | ${n(s.flagged)} |`),
    '',
    '## Sources',
    '',
    '| source | format | license | sha256 |',
    '|---|---|---|---|',
    ...m.sources.map((s) => `| ${s.name} | ${s.format} | ${s.license ?? 'not given'} | \`${s.sha256.slice(0, 16)}…\` |`),
    '',
    `Token counts are estimates (${m.tokenizer.name}; characters times each language's measured tokens per character).`,
    ...(m.warnings.length ? ['', '## Warnings', '', ...m.warnings.map((w) => `- ${w}`)] : []),
    '',
  ];
  return lines.join('\n');
}
