/**
 * Local against remote: before a command that may write state runs, the state file in its directory,
 * the state its backend holds (`terraform state pull`, read-only) and the last state Countersign
 * recorded for that backend are compared. Terraform reads and writes only the backend's state, so a
 * different state beside it, an older copy of it, or a backend gone back in time is a swap waiting to
 * do damage. Pure: src/node/terraform/backendCheck.ts does the reading. Fails closed: what cannot be
 * read is `unchecked`, never `consistent`.
 */
import type { StateLocation } from './backendConfig';
import { compareStates, readState } from './state';
import { StateComparison, StateSummary } from './types';

export interface NoState {
  readonly kind: 'none';
}
export interface HeldState {
  readonly kind: 'state';
  readonly state: StateSummary;
}
export interface UnreadableState {
  readonly kind: 'unreadable';
  readonly reason: string;
}

/** A state file, or what `state pull` printed: no state, a state, or something that is not one. */
export type StateRead = NoState | HeldState | UnreadableState;

/** Why `state pull` gave no state to compare. */
export type PullFailureCode = 'init-needed' | 'no-credentials' | 'timeout' | 'cancelled' | 'no-binary' | 'invalid-state' | 'failed';

export interface BackendUnreadable extends UnreadableState {
  readonly code: PullFailureCode;
  /** The end of terraform's output, for the card. */
  readonly detail?: string;
}

export type BackendRead = NoState | HeldState | BackendUnreadable;

export interface RemoteCheckInput {
  readonly location: StateLocation;
  /** The file the default local backend would use here (`terraform.tfstate`, or the workspace's under `terraform.tfstate.d`). */
  readonly localFile: { readonly path: string; readonly read: StateRead };
  /** What `state pull` gave. */
  readonly backend: BackendRead;
  /** The last state Countersign recorded for what the backend holds, when it has one. */
  readonly baseline?: StateSummary;
}

export type RemoteCheckStatus = 'consistent' | 'conflict' | 'unchecked';

export interface RemoteCheck extends RemoteCheckInput {
  /** `conflict` and `unchecked` both keep the command paused until a person decides; `conflict` is critical. */
  readonly status: RemoteCheckStatus;
  /** Plain language: conflicts first, then what could not be checked, then what agrees. */
  readonly reasons: readonly string[];
  /**
   * When the local file and the backend both hold a state: the backend's as `old`, the local file's as
   * `new` (the swap card's shape): addresses only on one side, and the same address naming other objects.
   */
  readonly localAgainstBackend?: StateComparison;
}

/** A file's or `state pull`'s text as a state: nothing (absent or blank: no state yet), a state, or why it is not one. */
export function readStateText(text: string | undefined): StateRead {
  if (text === undefined || text.trim() === '') return { kind: 'none' };
  const read = readState(text);
  return read.ok ? { kind: 'state', state: read.value } : { kind: 'unreadable', reason: read.error };
}

type Outcome = 'conflict' | 'unchecked' | 'agrees';

interface Finding {
  readonly outcome: Outcome;
  readonly reason: string;
}

const finding = (outcome: Outcome) => (reason: string): Finding => ({ outcome, reason });
const conflict = finding('conflict');
const unchecked = finding('unchecked');
const agrees = finding('agrees');

type Rule = (input: RemoteCheckInput) => readonly Finding[];

/** Each rule speaks only to what it can judge; what it cannot read is another rule's finding. */
const RULES: readonly Rule[] = [backendNotRead, locationUnknown, localFileNotRead, localFileNotUsed, localFileAgainstBackend, backendAgainstBaseline];

const OUTCOME_ORDER: readonly Outcome[] = ['conflict', 'unchecked', 'agrees'];

/**
 * Conflict: the local file and the backend's state have different lineages; the local file is behind
 * the backend (same lineage, lower serial); a local state with resources beside a backend that does
 * not use it (another backend type, or the local backend at another path); the backend's state is
 * gone, of another lineage, at a lower serial, or at the same serial with other resources than the
 * one Countersign recorded. Unchecked: the
 * backend, the backend file or the local file could not be read, or the file changed while read.
 */
export function checkLocalAgainstRemote(input: RemoteCheckInput): RemoteCheck {
  const findings = RULES.flatMap((rule) => rule(input));
  const has = (outcome: Outcome): boolean => findings.some((f) => f.outcome === outcome);
  const status: RemoteCheckStatus = has('conflict') ? 'conflict' : has('unchecked') ? 'unchecked' : 'consistent';
  const reasons = OUTCOME_ORDER.flatMap((outcome) => findings.filter((f) => f.outcome === outcome).map((f) => f.reason));
  const local = stateOf(input.localFile.read);
  const backend = stateOf(input.backend);
  return { ...input, status, reasons, ...(local && backend ? { localAgainstBackend: compareStates(backend, local) } : {}) };
}

function stateOf(read: StateRead | BackendRead): StateSummary | undefined {
  return read.kind === 'state' ? read.state : undefined;
}

function backendNotRead({ backend }: RemoteCheckInput): Finding[] {
  return backend.kind === 'unreadable' ? [unchecked(`The backend's state was not checked: ${backend.reason}`)] : [];
}

function locationUnknown({ location }: RemoteCheckInput): Finding[] {
  return location.kind === 'unknown' ? [unchecked(`Which state terraform uses here is not known: ${location.reason}`)] : [];
}

function localFileNotRead({ localFile }: RemoteCheckInput): Finding[] {
  return localFile.read.kind === 'unreadable' ? [unchecked(`The local state file ${localFile.path} could not be read: ${localFile.read.reason}`)] : [];
}

/** Beside another backend, a local state with resources is one terraform ignores but a person (or an agent) may trust. */
function localFileNotUsed({ location, localFile }: RemoteCheckInput): Finding[] {
  if (location.kind !== 'local-elsewhere' && location.kind !== 'remote') return [];
  const local = stateOf(localFile.read);
  if (!local || local.resourceCount === 0) return [];
  return [
    conflict(
      `${localFile.path} holds a state with ${plural(local.resourceCount, 'resource')}, but terraform will not use this file: it reads and writes ${backendStateName(location)}. A command here acts on the backend's state, whatever this file says.`,
    ),
  ];
}

/** The state file here against the backend's: one state, and the file not behind it. */
function localFileAgainstBackend({ location, localFile, backend }: RemoteCheckInput): Finding[] {
  if (localFile.read.kind === 'unreadable' || backend.kind === 'unreadable') return [];
  const local = stateOf(localFile.read);
  const remote = stateOf(backend);
  const where = backendStateName(location);
  const path = localFile.path;
  if (local && remote && local.lineage !== remote.lineage) {
    return [conflict(`The local file ${path} (lineage ${local.lineage}) and ${where} (lineage ${remote.lineage}) are different states, not two versions of one.`)];
  }
  if (local && remote && local.serial < remote.serial) {
    return [conflict(`The local file ${path} is an older copy of ${where}: serial ${local.serial}, where the backend is at ${remote.serial}.`)];
  }
  if (location.kind === 'unknown') return [];
  if (location.kind === 'local-here') {
    // Both reads are of the same file: they differ only when it was written between them.
    if (!local !== !remote || (local && remote && local.serial !== remote.serial)) return [unchecked(`${path} changed while it was being checked; check again.`)];
    return [agrees(local ? `${path} is the state terraform uses here: lineage ${local.lineage}, serial ${local.serial}, ${plural(local.resourceCount, 'resource')}.` : `There is no state yet: ${path} is absent or empty.`)];
  }
  if (!local) return [agrees(`There is no state file at ${path}; terraform uses ${where}.`)];
  // One with resources is localFileNotUsed's conflict.
  return local.resourceCount === 0 ? [agrees(`${path} holds a state without resources; terraform ignores it and uses ${where}.`)] : [];
}

/**
 * The backend's state against the one Countersign last recorded, judged as the state guard judges a
 * file (compareStates): another lineage, a lower serial, or the same serial with other resources. A
 * large change to the same state is someone's apply, not a swap, and is not held here.
 */
function backendAgainstBaseline({ location, backend, baseline }: RemoteCheckInput): Finding[] {
  if (!baseline || backend.kind === 'unreadable') return [];
  const where = capitalise(backendStateName(location));
  const recorded = `lineage ${baseline.lineage}, serial ${baseline.serial}`;
  if (backend.kind === 'none') {
    return baseline.resourceCount > 0
      ? [conflict(`${where} is gone: Countersign recorded one with ${plural(baseline.resourceCount, 'resource')} (${recorded}); it was removed, or the backend now points elsewhere.`)]
      : [agrees(`${where} is absent; the one Countersign recorded held no resources.`)];
  }
  const since = compareStates(baseline, backend.state);
  if (since.swap && !since.largeChange) return [conflict(`${where} is not the one Countersign recorded (${recorded}): ${since.reasons.join(' ')}`)];
  return [agrees(`${where} is the one Countersign recorded (lineage ${baseline.lineage}), serial ${baseline.serial} → ${backend.state.serial}.`)];
}

/** What terraform reads and writes here, as the reasons name it. */
function backendStateName(location: StateLocation): string {
  switch (location.kind) {
    case 'local-here':
      return `the state in ${location.statePath}`;
    case 'local-elsewhere':
      return `the local backend's state in ${location.statePath}`;
    case 'remote':
      return `the ${location.backendType} backend's state`;
    case 'unknown':
      return "the backend's state";
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ── text for logs and the CLI ───────────────────────────────────────────────────────────────────

const VERDICTS: Readonly<Record<RemoteCheckStatus, string>> = {
  conflict: 'CONFLICT: the state here is not the one terraform will use, or not where Countersign left it; review it before running terraform here',
  unchecked: "NOT CHECKED: the local state could not be compared with the backend's; the command waits until you decide",
  consistent: "CONSISTENT: the local state and the backend's agree",
};

/** The check as text: verdict, where the state lives, reasons, the three sides, then the addresses that differ. */
export function formatRemoteCheck(check: RemoteCheck, options: { readonly maxAddresses?: number } = {}): string {
  const sides: [string, StateRead | BackendRead | undefined][] = [
    ['local file', check.localFile.read],
    ['backend', check.backend],
    ['recorded', check.baseline ? { kind: 'state', state: check.baseline } : undefined],
  ];
  const rows: string[][] = [
    ['', ...sides.map(([label]) => label)],
    ...(['lineage', 'serial', 'resources', 'terraform'] as const).map((row) => [row, ...sides.map(([, read]) => cell(read, row))]),
  ];
  const width = (column: number): number => Math.max(...rows.map((row) => row[column].length)) + 3;
  const table = rows.map((row) => `  ${row.map((text, i) => (i < row.length - 1 ? text.padEnd(width(i)) : text)).join('')}`.trimEnd());
  const c = check.localAgainstBackend;
  const lines = [
    VERDICTS[check.status],
    `  terraform uses ${backendStateName(check.location)}; the local file is ${check.localFile.path}`,
    ...check.reasons.map((reason) => `  - ${reason}`),
    '',
    ...table,
    ...(c
      ? [
          '',
          ...addressList('only in the local file', '+', c.added, options.maxAddresses),
          ...addressList('only in the backend', '-', c.removed, options.maxAddresses),
          ...addressList(
            'other objects at the same address (backend id → local id)',
            '~',
            (c.differentObjects ?? []).map((o) => `${o.address} (${o.oldId} → ${o.newId})`),
            options.maxAddresses,
          ),
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

function cell(read: StateRead | BackendRead | undefined, row: 'lineage' | 'serial' | 'resources' | 'terraform'): string {
  if (read === undefined) return '-';
  if (read.kind === 'none') return '(none)';
  if (read.kind === 'unreadable') return '(not read)';
  const s = read.state;
  return { lineage: s.lineage, serial: String(s.serial), resources: String(s.resourceCount), terraform: s.terraformVersion ?? '?' }[row];
}

function addressList(title: string, mark: string, addresses: readonly string[], max = Infinity): string[] {
  if (addresses.length === 0) return [];
  const more = addresses.length > max ? [`  … and ${addresses.length - max} more`] : [];
  return [`${title} (${addresses.length}):`, ...addresses.slice(0, max).map((a) => `  ${mark} ${a}`), ...more];
}
