/**
 * Which mixture group a document or translation pair belongs to. First
 * matching group in list order wins, so a team puts specific groups (a
 * curated source, named languages) before catch-alls ("rest").
 *
 * A pair can only land in a `parallel` or `sources` group: a pair is not text
 * in one language, so `languages` and `rest` never take it. A document never
 * lands in `parallel`. Pure; runs per item in worker threads, hence
 * `compileGroups` to build the lookup sets once.
 */
import type { Group } from './recipe';

export interface GroupItem {
  kind: 'document' | 'pair';
  /** Flores-style code (swh_Latn) of a document; unused for pairs. */
  lang?: string;
  /** The corpus source the item came from, as listed in the corpus. */
  sourceName: string;
}

type Matcher = (item: GroupItem) => boolean;

/** The ISO 639-3 part of a Flores-style code ("swh" of "swh_Latn"). */
function languagePart(code: string): string {
  const i = code.indexOf('_');
  return i < 0 ? code : code.slice(0, i);
}

function matcher(group: Group): Matcher {
  const m = group.match;
  switch (m.kind) {
    case 'languages': {
      // An entry with a script matches that exact code; one without matches every script of the language.
      const exact = new Set(m.languages.filter((l) => l.includes('_')));
      const anyScript = new Set(m.languages.filter((l) => !l.includes('_')));
      return (item) =>
        item.kind === 'document' && item.lang !== undefined && (exact.has(item.lang) || anyScript.has(languagePart(item.lang)));
    }
    case 'sources': {
      const sources = new Set(m.sources);
      return (item) => sources.has(item.sourceName);
    }
    case 'parallel':
      return (item) => item.kind === 'pair';
    case 'rest':
      return (item) => item.kind === 'document';
  }
}

/** Compiles the groups once; the returned function gives an item's group id, or null when no group takes it. */
export function compileGroups(groups: readonly Group[]): (item: GroupItem) => string | null {
  const compiled = groups.map((g) => ({ id: g.id, matches: matcher(g) }));
  return (item) => {
    for (const g of compiled) if (g.matches(item)) return g.id;
    return null;
  };
}

/** The id of the first group that takes the item, or null. For many items, use compileGroups. */
export function assignGroup(groups: readonly Group[], item: GroupItem): string | null {
  return compileGroups(groups)(item);
}
