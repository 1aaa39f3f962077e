import type { ShellNames } from '../shell/shellNames';
import type { FileReader } from './recipes';

/** Where a line is checked: the directory it runs in and a way to read workspace files. */
export interface CheckContext {
  /** The directory the command runs in: for `make`/`npm run` recipes and relative paths. */
  readonly cwd?: string;
  /**
   * Where the line started, when a `cd` on it moved `cwd` (the rules see the folder a command runs in):
   * what counts as inside the working folder is judged from here.
   */
  readonly startDir?: string;
  readonly reader?: FileReader;
  /** Directories whose terraform/tofu commands wait for a person (a state file there was swapped). */
  readonly holds?: readonly DirectoryHold[];
  /** The aliases and functions of the shell the line is typed in, when it reported them (a guarded terminal). */
  readonly shellNames?: ShellNames;
}

export interface DirectoryHold {
  /** Absolute, normalised. */
  readonly dir: string;
  /** Shown as the finding's detail: "terraform.tfstate: lineage changed". */
  readonly reason: string;
}
