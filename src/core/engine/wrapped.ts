/**
 * A command as a wrapper sees it, and what peeling the wrapper off gives. Apart from unwrap.ts so the
 * per-family unwrappers (runners, text tools, detached, cloud run commands) need not import it back.
 */
import type { StdinSource } from '../shell/commands';
import type { Word } from '../shell/words';

/** What a wrapper runs, once peeled off. */
export type Unwrapped =
  /** Another argv to look at (the wrapped command); `env` adds to what it sees. */
  | { readonly kind: 'argv'; readonly words: Word[]; readonly env?: ReadonlyMap<string, Word> }
  /** Several argvs (`find -exec`, `parallel ::: a b`); the wrapper itself still counts when `self`. */
  | { readonly kind: 'many'; readonly argvs: Word[][]; readonly self: boolean }
  /** Shell text that will be parsed and run (`bash -c`, `eval`, `ssh host cmd`, `watch`). */
  | { readonly kind: 'script'; readonly text: string; readonly self?: boolean; readonly context?: readonly string[] }
  /** Something will run that cannot be seen from here; the wrapper itself still counts when `self`. */
  | { readonly kind: 'opaque'; readonly reason: string; readonly self?: boolean }
  /** Nothing further runs (`command -v x`, `sudo -l`, `bash script.sh` runs a file we cannot see). */
  | { readonly kind: 'none' };

export interface Wrapped {
  readonly words: readonly Word[];
  readonly stdin: StdinSource | undefined;
}
