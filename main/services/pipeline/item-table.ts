/**
 * What the scan remembers of every item, in typed-array columns (about 25
 * bytes an item) plus sparse maps for the few items that have events, a
 * removal or an example excerpt. An array of objects cost about 0.7 KB an
 * item, which is most of the coordinator's memory on a large corpus.
 */
import type { StepEvent } from './process-item';

type TypedArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array;

/** A growable typed array. */
class Column<A extends TypedArray> {
  data: A;
  length = 0;
  constructor(private readonly make: (n: number) => A) {
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export interface ItemRecord {
  kind: 'document' | 'pair';
  id: number;
  sourceId: number;
  lang: string;
  chars: number;
  finalChars: number;
  events: readonly StepEvent[];
  /** The removal a per-item step decided (null: none). */
  removed: StepEvent | null;
  excerpt: string;
  store: number;
}

export interface ItemView extends ItemRecord {
  /** The final removal, per-item or corpus-wide (null: kept). */
  decision: StepEvent | null;
}

const NO_EVENTS: readonly StepEvent[] = [];

export class ItemTable {
  private readonly kind = new Column((n) => new Uint8Array(n));
  private readonly id = new Column((n) => new Float64Array(n));
  private readonly source = new Column((n) => new Int32Array(n));
  private readonly lang = new Column((n) => new Uint16Array(n));
  private readonly chars = new Column((n) => new Int32Array(n));
  private readonly finalChars = new Column((n) => new Int32Array(n));
  private readonly store = new Column((n) => new Int16Array(n));
  private readonly langs: string[] = [];
  private readonly langIndex = new Map<string, number>();
  private readonly events = new Map<number, readonly StepEvent[]>();
  private readonly itemRemoved = new Map<number, StepEvent>();
  private readonly decisions = new Map<number, StepEvent>();
  private readonly excerpts = new Map<number, string>();

  get length(): number {
    return this.kind.length;
  }

  push(r: ItemRecord, decision: StepEvent | null): number {
    const i = this.length;
    let li = this.langIndex.get(r.lang);
    if (li === undefined) {
      li = this.langs.length;
      this.langs.push(r.lang);
      this.langIndex.set(r.lang, li);
    }
    this.kind.push(r.kind === 'pair' ? 1 : 0);
    this.id.push(r.id);
    this.source.push(r.sourceId);
    this.lang.push(li);
    this.chars.push(r.chars);
    this.finalChars.push(r.finalChars);
    this.store.push(r.store);
    if (r.events.length) this.events.set(i, r.events);
    if (r.removed) this.itemRemoved.set(i, r.removed);
    if (decision) this.decisions.set(i, decision);
    if (r.excerpt) this.excerpts.set(i, r.excerpt);
    return i;
  }

  get(i: number): ItemView {
    return {
      kind: this.kind.data[i] === 1 ? 'pair' : 'document',
      id: this.id.data[i]!,
      sourceId: this.source.data[i]!,
      lang: this.langs[this.lang.data[i]!]!,
      chars: this.chars.data[i]!,
      finalChars: this.finalChars.data[i]!,
      store: this.store.data[i]!,
      events: this.events.get(i) ?? NO_EVENTS,
      removed: this.itemRemoved.get(i) ?? null,
      excerpt: this.excerpts.get(i) ?? '',
      decision: this.decisions.get(i) ?? null,
    };
  }

  idOf(i: number): number {
    return this.id.data[i]!;
  }

  decisionOf(i: number): StepEvent | null {
    return this.decisions.get(i) ?? null;
  }

  /** Records a corpus-wide removal if it comes at an earlier step than the item's current one. */
  decide(i: number, e: StepEvent): void {
    const cur = this.decisions.get(i);
    if (!cur || e.stepIndex < cur.stepIndex) this.decisions.set(i, e);
  }
}
