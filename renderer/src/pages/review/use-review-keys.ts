import { useEffect, useRef } from 'react';

export interface ReviewKeyActions {
  saveAndNext(): void;
  next(): void;
  previous(): void;
  help(): void;
  setScore(value: number): void;
  nudge(by: number): void;
  clearScore(): void;
  switchTo(index: number): void;
  mark(): void;
  edit(): void;
  accept(): void;
  toggleReference(): void;
}

/** Where typing belongs to a field: single-key shortcuts stay off there (Ctrl+Enter still works). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['range', 'checkbox', 'radio', 'button', 'submit'].includes(target.type);
  // The error form takes its own keys (Enter adds, Escape closes).
  return target.closest('form') !== null;
}

/**
 * The review screen's shortcuts (see shortcuts.ts), on the window while
 * `enabled`. The latest actions are always used, without re-subscribing.
 */
export function useReviewKeys(enabled: boolean, actions: ReviewKeyActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        a.saveAndNext();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typingIn(e.target)) return;
      // A focused slider moves with the arrow keys itself.
      const onSlider = e.target instanceof HTMLInputElement && e.target.type === 'range';
      let handled = true;
      if (/^[0-9]$/.test(e.key)) a.setScore(e.key === '0' ? 100 : Number(e.key) * 10);
      else if (e.key === 'ArrowUp' && !onSlider) a.nudge(e.shiftKey ? 10 : 1);
      else if (e.key === 'ArrowDown' && !onSlider) a.nudge(e.shiftKey ? -10 : -1);
      else if (e.key === 'ArrowLeft' && !onSlider) a.switchTo(0);
      else if (e.key === 'ArrowRight' && !onSlider) a.switchTo(1);
      else if (e.key === 'Backspace' || e.key === 'Delete') a.clearScore();
      else if (e.key === '?') a.help();
      else {
        switch (e.key.toLowerCase()) {
          case 'j': a.next(); break;
          case 'k': a.previous(); break;
          case 'm': a.mark(); break;
          case 'e': a.edit(); break;
          case 'a': a.accept(); break;
          case 'r': a.toggleReference(); break;
          default: handled = false;
        }
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
