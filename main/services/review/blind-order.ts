import { createRng } from '../pipeline/rng';
import type { Slot } from '../../api/review-schemas';

export const SLOTS: readonly Slot[] = ['A', 'B'];

/**
 * The display order of an item's outputs: indexes into its outputs, slot A
 * first. With two systems the order is drawn per item from the queue's seed
 * (the pipeline's pinned generator, so a queue rebuilt with the same seed
 * shuffles the same way), so that neither system sits on one side.
 */
export function blindOrder(outputs: number, seed: number, ordinal: number): number[] {
  if (outputs < 2) return outputs === 1 ? [0] : [];
  return createRng(seed, 'review-order', ordinal).shuffle([...Array(outputs).keys()]);
}

/** Which output index a slot shows. */
export function outputIndexOf(order: readonly number[], slot: Slot): number | undefined {
  return order[SLOTS.indexOf(slot)];
}

/** Which slot shows an output index. */
export function slotOf(order: readonly number[], index: number): Slot | undefined {
  const at = order.indexOf(index);
  return at >= 0 ? SLOTS[at] : undefined;
}
