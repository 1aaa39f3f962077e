/**
 * A paused command's card with Back up first behind it, as the review panel has it, for the tests:
 * the real engine judges the line, the real review book holds the card, the real BackUpFirst runs the
 * backups with the environment given (the terminal's). What it records for the audit is kept.
 */
import assert from 'node:assert/strict';
import type { BackupEntry } from '../../../src/core/audit/record';
import type { BackupLine } from '../../../src/core/backup/dataResources';
import type { PendingRequest, RequestSource } from '../../../src/core/gate/types';
import type { RequestCard } from '../../../src/core/review/protocol';
import { err, type Result } from '../../../src/core/result';
import { Reviews } from '../../../src/core/review/reviews';
import type { PlanResourceChange } from '../../../src/core/terraform/planJson';
import { BackUpFirst } from '../../../src/extension/review/backUpFirst';
import { BackupIndex } from '../../../src/node/backup/backupIndex';
import { check } from '../../helpers/engine';
import { waitFor } from '../../helpers/waitFor';

export const NONCE = 'nonce';

export interface PausedCardOptions {
  readonly id?: string;
  readonly command: string;
  readonly cwd: string;
  /** The terminal's environment, or how each read of it goes. */
  readonly env: NodeJS.ProcessEnv | (() => Promise<NodeJS.ProcessEnv>);
  /** Where the backups and their index go. */
  readonly folder: string;
  readonly limits?: { readonly maxBytes: number; readonly timeoutMs: number };
  readonly source?: RequestSource;
  readonly planChange?: (id: string, address: string) => Result<PlanResourceChange>;
}

export interface PausedCard {
  readonly id: string;
  readonly pending: PendingRequest;
  readonly reviews: Reviews;
  readonly first: BackUpFirst;
  readonly index: BackupIndex;
  readonly records: Omit<BackupEntry, 'kind'>[];
  card(): RequestCard;
  lines(): BackupLine[];
  running(): boolean;
  /** Clicks Back up first (with the card's nonce) and waits for every backup to end. */
  backUpAndWait(timeoutMs?: number): Promise<void>;
}

/** The card of `command`, paused; `survey` (the default) waits until it names the data its line reaches. */
export async function pausedCard(options: PausedCardOptions, survey = true): Promise<PausedCard> {
  const id = options.id ?? 'r1';
  const verdict = await check(options.command, { cwd: options.cwd });
  assert.equal(verdict.verdict, 'pause', options.command);
  const pending: PendingRequest = { id, request: { command: options.command, cwd: options.cwd, source: options.source ?? 'guarded-terminal' }, verdict, createdAt: Date.now() };
  const reviews = new Reviews(() => NONCE);
  reviews.sync([pending]);
  const records: Omit<BackupEntry, 'kind'>[] = [];
  const index = new BackupIndex(options.folder);
  const first = new BackUpFirst({
    reviews,
    env: typeof options.env === 'function' ? options.env : () => Promise.resolve(options.env as NodeJS.ProcessEnv),
    planChange: options.planChange ?? (() => err('no plan')),
    index,
    limits: () => options.limits ?? { maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 },
    audit: { recordBackup: (entry) => records.push(entry) },
    render: () => undefined,
    onDidStore: () => undefined,
    log: () => undefined,
  });
  const card = (): RequestCard => {
    const shown = reviews.cards(() => false)[0];
    assert.ok(shown.kind === 'request');
    return shown;
  };
  if (survey) {
    first.survey(pending);
    await waitFor('the card to name the data', () => card().backup !== undefined);
  }
  const running = (): boolean => card().backup?.running ?? false;
  return {
    id,
    pending,
    reviews,
    first,
    index,
    records,
    card,
    lines: () => [...(card().backup?.lines ?? [])],
    running,
    async backUpAndWait(timeoutMs = 90_000) {
      const started = await first.start({ id, nonce: NONCE });
      assert.ok(started.ok, started.ok ? '' : started.error);
      await waitFor('the backup to end', () => !running(), timeoutMs);
    },
  };
}
