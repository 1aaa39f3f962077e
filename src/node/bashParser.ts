import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { BashParser } from '../core/shell/syntax';

/**
 * The two wasm files ship beside the bundle (esbuild copies them into dist/); in tests and the CLI run
 * from source they come from the npm packages. Never fetched from the network.
 */
function locate(file: string, packageName: string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`${packageName}/${file}`);
}

let loading: Promise<BashParser> | undefined;

/** Loads web-tree-sitter and the bash grammar once per process. */
export function loadBashParser(): Promise<BashParser> {
  loading ??= (async () => {
    await Parser.init({ wasmBinary: readFileSync(locate('tree-sitter.wasm', 'web-tree-sitter')) });
    const bash = await Language.load(readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash')));
    const parser = new Parser();
    parser.setLanguage(bash);
    return {
      parse(text: string) {
        const tree = parser.parse(text);
        if (!tree) throw new Error('the bash parser returned no tree');
        return tree;
      },
    };
  })();
  return loading;
}
