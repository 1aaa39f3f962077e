import type { FileWrite, SimpleCommand } from '../shell/commands';
import type { Word } from '../shell/words';
import { isInterpreter } from './interpreters';
import { toolName } from './invocation';
import { fileExists, joinPath, normalizePath, type FileReader } from './recipes';
import { UnreadableFileError } from './unreadableFile';
import { literalStdin } from './stdin';

/**
 * Scripts a line writes and then runs: `echo 'terraform destroy -auto-approve' > x.sh && bash x.sh`,
 * a heredoc `cat > run.sh`, `printf … | tee cleanup.sh; ./cleanup.sh`. The file is not there when
 * the line is checked, so the reader cannot show it: what the line wrote into it is checked instead,
 * and a file whose text is only known at run time (`curl … > x.sh`) runs something nobody can see.
 * Commands are told in the order they run; a file counts once a command before the one that runs it wrote it.
 */
/** A file's text on disk; null when it is not there, undefined when it is there but was not read (or nothing can tell). */
export type DiskRead = (path: string) => string | undefined | null;

export class WrittenScripts {
  /** By normalized path: the text the line left in it, undefined when not known before it runs. */
  private readonly files = new Map<string, string | undefined>();

  /** A write the line makes outside any one command (`{ …; } > x.sh`): what it holds is not known. */
  wroteUnknown(write: FileWrite, dir: string | null | undefined): void {
    const path = resolved(write.target, dir);
    if (path) this.files.set(path, undefined);
  }

  /**
   * What `command` (run in `dir`) left in the files it wrote: its output, what `tee` wrote, and what a
   * copy, link or move put at its destination (`cp deploy.sh x.sh`: `read` tells what is on disk).
   */
  ran(command: SimpleCommand, dir: string | null | undefined, read: DiskRead): void {
    const tool = command.words[0]?.static ? toolName(command.words[0].value) : undefined;
    if (tool && COPIES.has(tool)) this.copied(command.words.slice(1), dir, read);
    const printed = tool && OUTPUT_TOOLS.has(tool) ? printedBy(tool, command) : undefined;
    for (const write of command.outputs) this.write(resolved(write.target, dir), write.stdout ? printed : undefined, write.append, read);
    if (tool === 'tee') {
      const piped = literalStdin(command.stdin);
      const append = command.words.some((w) => w.value === '-a' || w.value === '--append');
      for (const file of command.words.slice(1).filter((w) => !w.value.startsWith('-'))) this.write(resolved(file, dir), piped, append, read);
    }
  }

  /**
   * The script `words` runs, when the line wrote it earlier: its text (undefined: not known before it
   * runs) and the file's path as written. Undefined when it runs no file this line wrote.
   */
  runs(words: readonly Word[], dir: string | null | undefined): { readonly file: string; readonly text: string | undefined } | undefined {
    const file = scriptFileOf(words);
    const path = file && resolved(file, dir);
    if (!path || !this.files.has(path)) return undefined;
    return { file: file.value, text: this.files.get(path) };
  }

  /** What the line left in the file `word` names, when it wrote one (text undefined: only known when it runs). */
  contents(word: Word, dir: string | null | undefined): { readonly text: string | undefined } | undefined {
    const path = resolved(word, dir);
    return path !== undefined && this.files.has(path) ? { text: this.files.get(path) } : undefined;
  }

  /**
   * `reader` with what the line wrote so far laid over what is on disk, for the rules and recipes of
   * a later command (`echo 'DROP TABLE users;' > q.sql && psql -f q.sql`, a Makefile written then made).
   * A file whose text is only known when the line runs reads as there but unreadable. Without a reader
   * for the disk there is none over it either: the rules then take any file as possibly there.
   */
  over(reader: FileReader | undefined): FileReader | undefined {
    if (!reader || this.files.size === 0) return reader;
    const files = this.files;
    return {
      readFile(path) {
        const key = normalizePath(path);
        if (!files.has(key)) return reader.readFile(path);
        const text = files.get(key);
        if (text === undefined) throw new UnreadableFileError(path, 'this line writes it with text only known when it runs');
        return text;
      },
      exists: (path) => files.has(normalizePath(path)) || fileExists(reader, path),
    };
  }

  /** `cp SRC DST`, `ln -s SRC DST`, `mv SRC DST`, `install SRC DST`: DST holds what SRC held. */
  private copied(args: readonly Word[], dir: string | null | undefined, read: DiskRead): void {
    const operands = args.filter((w) => !w.value.startsWith('-'));
    if (operands.length !== 2 || operands[1].value.endsWith('/')) return;
    const [source, target] = operands;
    const from = resolved(source, dir);
    const known = from === undefined ? undefined : this.files.has(from) ? this.files.get(from) : (read(from) ?? undefined);
    this.write(resolved(target, dir), known, false, read);
  }

  /** An append adds to what the file held: what the line wrote into it before, else what is on disk (`>> Makefile`). */
  private write(path: string | undefined, text: string | undefined, append: boolean, read: DiskRead): void {
    if (!path) return;
    const before = this.files.has(path) ? this.files.get(path) : append ? read(path) : null;
    const known = !append || before === null ? text : before === undefined || text === undefined ? undefined : before + text;
    this.files.set(path, known);
  }
}

/** What echo, printf and cat print, when the line spells it out; echo ends it with a newline unless told -n. */
function printedBy(tool: string, command: SimpleCommand): string | undefined {
  const text = literalStdin({ kind: 'pipe', from: command });
  if (text === undefined || tool !== 'echo') return text;
  const flags = command.words.slice(1).findIndex((w) => !/^-[neE]+$/.test(w.value));
  const options = command.words.slice(1, flags < 0 ? undefined : flags + 1);
  return options.some((w) => w.value.includes('n')) ? text : `${text}\n`;
}

/** Commands that make a file hold what another holds. */
const COPIES = new Set(['cp', 'ln', 'mv', 'install', 'rsync']);

/** Commands whose standard output the line spells out (stdin.ts literalStdin reads them). */
const OUTPUT_TOOLS = new Set(['echo', 'printf', 'cat']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash']);
const SOURCES = new Set(['source', '.']);
/** Options that make a shell or interpreter run text from the line, not a file. */
const INLINE_CODE = /^-(?:[a-zA-Z]*c|e|E|r|-eval|-print|p)$/;

/** The file a command runs as a script: `bash F`, `source F`, `. F`, `python3 F`, or `./F` itself. */
export function scriptFileOf(words: readonly Word[]): Word | undefined {
  const [name, ...args] = words;
  if (!name?.static) return undefined;
  if (name.value.includes('/')) return name;
  const tool = toolName(name.value);
  if (SOURCES.has(tool)) return args[0];
  if (!SHELLS.has(tool) && !isInterpreter(tool)) return undefined;
  for (const arg of args) {
    if (INLINE_CODE.test(arg.value)) return undefined;
    if (arg.value === '--') continue;
    if (!arg.value.startsWith('-')) return arg;
  }
  return undefined;
}

function resolved(word: Word, dir: string | null | undefined): string | undefined {
  // A folder known only at run time (`cd "$X"`), or a name known only then, is not a file this can follow.
  if (!word.static || dir === null || word.value.startsWith('~')) return undefined;
  return normalizePath(joinPath(dir ?? '.', word.value));
}
