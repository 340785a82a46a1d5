/** The review screen's keyboard shortcuts, as the help dialog lists them. */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['1', '…', '9'], what: 'Score the active output 10 … 90' },
  { keys: ['0'], what: 'Score the active output 100' },
  { keys: ['↑', '↓'], what: 'Score +1 / −1 (with Shift: ±10)' },
  { keys: ['Backspace'], what: 'Clear the score' },
  { keys: ['←', '→'], what: 'Make output A / B active (two outputs)' },
  { keys: ['M'], what: 'Mark an error: the selected text of the active output, or type it' },
  { keys: ['E'], what: 'Edit: post-edit the active output (Esc leaves the box)' },
  { keys: ['A'], what: 'Accept the active output as it is (again: take back)' },
  { keys: ['R'], what: 'Show or hide the reference' },
  { keys: ['Ctrl', 'Enter'], what: 'Save and go to the next item (also inside a text box)' },
  { keys: ['J'], what: 'Next item (saving any change)' },
  { keys: ['K'], what: 'Previous item (saving any change)' },
  { keys: ['?'], what: 'This help' },
];
