import { languageName } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { isReplaySubset, splitDirection } from './benchmarks';

/** "Swahili → Yoruba", or "Swahili", for a subset name (a direction or a language). */
export function subsetText(subset: string, name: (code: string) => string): string {
  const dir = splitDirection(subset);
  return dir ? `${name(dir[0])} → ${name(dir[1])}` : name(subset);
}

/** A row's label: names, the codes beneath, and a badge on replay (high-resource) languages, where a drop is forgetting. */
export function SubsetLabel({ subset }: { subset: string }) {
  const { languages } = useCorpus();
  const name = (c: string) => languageName(c, languages);
  const dir = splitDirection(subset);
  return (
    <span className="subset-label">
      <span>{subsetText(subset, name)}</span>
      {isReplaySubset(subset) ? (
        <span className="badge replay-badge" title="A replay (high-resource) language: the training mixture keeps it to prevent forgetting, so a drop here is forgetting.">
          replay
        </span>
      ) : null}
      <code className="muted small">{dir ? `${dir[0]} → ${dir[1]}` : subset}</code>
    </span>
  );
}
