import type { FileReader } from './recipes';

/** Where a line is checked: the directory it runs in and a way to read workspace files. */
export interface CheckContext {
  /** The directory the command runs in: for `make`/`npm run` recipes and relative paths. */
  readonly cwd?: string;
  readonly reader?: FileReader;
  /** Directories whose terraform/tofu commands wait for a person (a state file there was swapped). */
  readonly holds?: readonly DirectoryHold[];
}

export interface DirectoryHold {
  /** Absolute, normalised. */
  readonly dir: string;
  /** Shown as the finding's detail: "terraform.tfstate: lineage changed". */
  readonly reason: string;
}
