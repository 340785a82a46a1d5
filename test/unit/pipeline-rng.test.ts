import { describe, expect, it } from 'vitest';
import { createRng, rngFromState, stableHash01 } from '../../main/services/pipeline/rng';

const take = (n: number, f: (_: unknown, i: number) => number) => Array.from({ length: n }, f);

describe('xoshiro128** generator', () => {
  it('matches the reference C implementation (xoshiro128starstar.c) from state {1, 2, 3, 4}', () => {
    // Printed by Blackman & Vigna's xoshiro128starstar.c compiled with gcc.
    const r = rngFromState([1, 2, 3, 4]);
    expect(take(8, () => r.uint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('gives the pinned sequence for seed 42: a change here changes every dataset ever built', () => {
    const r = createRng(42);
    expect(take(5, () => r.uint32())).toEqual([1424098284, 1772738337, 1821679289, 3352454501, 2231542647]);
    const s = createRng(42, 0, 'swh_Latn');
    expect(take(3, () => s.next())).toEqual([0.47897344900986016, 0.2426644450797495, 0.28818053373432884]);
    expect(createRng(42, 'shuffle').shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([7, 8, 2, 4, 1, 0, 3, 9, 6, 5]);
    const d = createRng(7);
    expect(take(5, () => d.int(6))).toEqual([4, 4, 5, 0, 3]);
    expect(stableHash01(42, 'swh_Latn:1')).toBe(0.7292628084441921);
    expect(stableHash01(42, 7)).toBe(0.6211872951526572);
    expect(stableHash01(0, 'x')).toBe(0.8408142164272426);
  });
});

describe('createRng', () => {
  it('repeats the same sequence for the same seed and streams', () => {
    const a = createRng(123, 1, 'yor_Latn');
    const b = createRng(123, 1, 'yor_Latn');
    expect(take(1000, () => a.uint32())).toEqual(take(1000, () => b.uint32()));
  });

  it('gives different sequences for different seeds and streams, and does not confuse labels', () => {
    const first = (seed: number, ...streams: (number | string)[]) => {
      const r = createRng(seed, ...streams);
      return take(4, () => r.uint32()).join(',');
    };
    const seqs = [
      first(1),
      first(2),
      first(1, 0),
      first(1, 1),
      first(1, '1'),
      first(1, 'ab', 'c'),
      first(1, 'a', 'bc'),
      first(1, 0, 'swh_Latn'),
      first(1, 1, 'swh_Latn'),
      first(1, 0, 'yor_Latn'),
      first(1, 'swh_Latn', 0),
      first(-1),
      first(2 ** 40),
      first(2 ** 40 + 1),
    ];
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('refuses seeds and labels that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(1, 0.5)).toThrow(RangeError);
  });

  it('draws floats in [0, 1) with a mean near 1/2', () => {
    const r = createRng(5);
    const xs = take(100_000, () => r.next());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.005);
  });

  it('draws integers in [0, n) evenly and refuses bad n', () => {
    const r = createRng(9);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(r.int(1)).toBe(0);
    expect(r.int(2 ** 32)).toBeLessThan(2 ** 32);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    expect(() => r.int(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('shuffles in place into a permutation, every order about equally often', () => {
    const r = createRng(11);
    const arr = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(r.shuffle(arr)).toBe(arr);
    expect([...arr].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const seen = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = r.shuffle(['a', 'b', 'c']).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const c of seen.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(r.shuffle([])).toEqual([]);
  });

  it('picks from an array and refuses an empty one', () => {
    const r = createRng(3);
    expect(['x', 'y']).toContain(r.pick(['x', 'y']));
    expect(() => r.pick([])).toThrow(RangeError);
  });
});

describe('stableHash01', () => {
  it('depends on seed and key only, lies in [0, 1) and spreads evenly', () => {
    expect(stableHash01(42, 'eng_Latn:5')).toBe(stableHash01(42, 'eng_Latn:5'));
    expect(stableHash01(42, 'eng_Latn:5')).not.toBe(stableHash01(43, 'eng_Latn:5'));
    expect(stableHash01(42, 5)).not.toBe(stableHash01(42, '5'));
    const hs = take(50_000, (_, i) => stableHash01(1, `swh_Latn:${i}`));
    expect(hs.every((h) => h >= 0 && h < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const h of hs) buckets[Math.floor(h * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 5000)).toBeLessThan(300);
  });

  it('hashes non-ASCII keys by code point', () => {
    expect(stableHash01(1, 'ሰላም')).not.toBe(stableHash01(1, 'ሰላሙ'));
    expect(stableHash01(1, '𝒜')).not.toBe(stableHash01(1, '\ud835'));
  });
});

describe('orderKey', () => {
  it('is a seeded permutation key: no ties for one salt, a different order for another salt', async () => {
    const { orderKey } = await import('../../main/services/pipeline/rng');
    const n = 50_000;
    const a = new Set<number>();
    for (let i = 0; i < n; i++) a.add(orderKey(12345, i));
    expect(a.size).toBe(n);
    const order = (salt: number) => Array.from({ length: 1000 }, (_, i) => i).sort((x, y) => orderKey(salt, x) - orderKey(salt, y));
    expect(order(1)).toEqual(order(1));
    expect(order(1)).not.toEqual(order(2));
    // Roughly uniform: each tenth of the 32-bit range gets about a tenth of the keys.
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < n; i++) buckets[Math.floor((orderKey(7, i) / 2 ** 32) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 100);
  });
});
