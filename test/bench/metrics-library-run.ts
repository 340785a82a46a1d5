// Helper of metrics-bench.mjs: times corpus chrF++ or BLEU in process on files
// already read (median of K runs) and prints {"seconds", "score"} as JSON.
//   node --import tsx test/bench/metrics-library-run.ts chrF++|BLEU HYP REF K
import { readFileSync } from 'node:fs';
import { corpusBleu, corpusChrf } from '../../main/services/eval/metrics';

const [metric, hypFile, refFile, k] = process.argv.slice(2);
const read = (f: string) => {
  const t = readFileSync(f, 'utf8');
  return (t.endsWith('\n') ? t.slice(0, -1) : t).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
};
const hyps = read(hypFile);
const refs = [read(refFile)];
const times: number[] = [];
let score = 0;
for (let i = 0; i < Math.max(1, Number(k)); i++) {
  const t0 = performance.now();
  score = metric === 'BLEU' ? corpusBleu(hyps, refs).score : corpusChrf(hyps, refs, { wordOrder: 2 }).score;
  times.push((performance.now() - t0) / 1000);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: times[Math.floor(times.length / 2)], score }));
