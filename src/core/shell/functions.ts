import { quoteWord } from './quote';
import { namedChildren, type SyntaxNode } from './syntax';

/**
 * Shell functions a line defines (`f() { terraform "$@"; }`), by name: the text of each body, to be
 * read again at each call with the call's arguments in place of `"$@"`, `$1`… (the walk over the
 * line reads a body once, where `$@` is only known at run time).
 */
export function functionDefinitions(root: SyntaxNode): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: SyntaxNode): void => {
    if (node.type === 'function_definition') {
      const name = node.childForFieldName('name')?.text;
      const body = node.childForFieldName('body');
      if (name && body) found.set(name, body.type === 'compound_statement' ? body.text.replace(/^\{/, '').replace(/\}$/, '') : body.text);
    }
    for (const child of namedChildren(node)) visit(child);
  };
  visit(root);
  return found;
}

/** A function's body with the call's arguments in place of the positional parameters. */
export function withArguments(body: string, args: readonly string[]): string {
  const all = args.map(quoteWord).join(' ');
  return body
    .replace(/"\$[@*]"|\$[@*]|"\$\{[@*]\}"|\$\{[@*]\}/g, all)
    .replace(/"?\$\{?([1-9])\}?"?/g, (_, n: string) => quoteWord(args[Number(n) - 1] ?? ''))
    .replace(/\$#/g, String(args.length));
}
