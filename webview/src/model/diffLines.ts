/** Reads the host's unified diff text (the `diff` package's hunks, no file headers) line by line for colouring. */

export type DiffLineKind = 'hunk' | 'added' | 'removed' | 'context' | 'note';

export interface DiffLine {
  readonly kind: DiffLineKind;
  readonly text: string;
}

const KIND_BY_PREFIX: Readonly<Record<string, DiffLineKind>> = {
  '+': 'added',
  '-': 'removed',
  '\\': 'note', // "\ No newline at end of file"
};

function kindOf(text: string): DiffLineKind {
  if (text.startsWith('@@')) return 'hunk';
  return KIND_BY_PREFIX[text.charAt(0)] ?? 'context';
}

export function diffLines(unified: string): DiffLine[] {
  const lines = unified.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((text) => ({ kind: kindOf(text), text }));
}
