/**
 * The node and CLI a hook launcher names, read back from the `node=` and `cli=` lines launcherScript
 * writes (each value one word, as quoteWord writes it). Undefined when the text is not such a launcher.
 */
export function launcherPaths(script: string): { readonly nodePath: string; readonly cliPath: string } | undefined {
  const nodePath = assigned(script, 'node');
  const cliPath = assigned(script, 'cli');
  return nodePath !== undefined && cliPath !== undefined ? { nodePath, cliPath } : undefined;
}

function assigned(script: string, name: string): string | undefined {
  const value = new RegExp(`^${name}=(.+)$`, 'm').exec(script)?.[1];
  if (value === undefined) return undefined;
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  // quoteWord's other form: the whole word in single quotes, each ' inside written as '\''.
  const quoted = /^'((?:[^']|'\\'')*)'$/.exec(value);
  return quoted ? quoted[1].replace(/'\\''/g, "'") : undefined;
}
