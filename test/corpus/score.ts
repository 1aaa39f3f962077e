import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../src/core';

/** One peer test vector, as merged in unified.jsonl. */
export interface PeerCase {
  source: string;
  file: string;
  command: string;
  expected: 'allow' | 'deny' | 'flag';
  severity?: string;
  note?: string;
  context?: { env?: string | null; needs_cwd_or_config?: boolean };
}

/** A case where Countersign deliberately answers otherwise than the peer, with the reason. */
export interface Disagreement {
  source: string;
  command: string;
  expected: string;
  reason: string;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'corpora');

export function loadPeerCases(): PeerCase[] {
  return readFileSync(join(FIXTURES, 'unified.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PeerCase);
}

/** The one reviewed file of deliberate disagreements with the peers, each with its reason. */
export function loadDisagreements(): Disagreement[] {
  return JSON.parse(readFileSync(join(__dirname, 'disagreements.json'), 'utf8')) as Disagreement[];
}

export function caseKey(c: { source: string; command: string; expected: string }): string {
  return `${c.source}\u0000${c.expected}\u0000${c.command}`;
}

/**
 * How a peer verdict reads for Countersign: deny and High/Critical flags should pause, allow should
 * not; shellfirm's Medium/Low flags are informational (see the corpora README).
 */
export function wanted(c: PeerCase): 'pause' | 'allow' | 'informational' {
  if (c.expected === 'allow') return 'allow';
  if (c.expected === 'flag' && (c.severity === 'Medium' || c.severity === 'Low')) return 'informational';
  return 'pause';
}

export interface Score {
  pauseCases: number;
  pausedOfPause: number;
  allowCases: number;
  pausedOfAllow: number;
  informational: number;
  pausedOfInformational: number;
  /** Cases that disagree with the peer and are not in the reviewed file. */
  unexplained: { c: PeerCase; ours: string }[];
  /** Reviewed disagreements that no longer disagree (the file must be kept honest). */
  stale: Disagreement[];
  /** Same counts with reviewed disagreements taken out of both numerator and denominator. */
  adjusted: { pauseRate: number; allowPauseRate: number };
  raw: { pauseRate: number; allowPauseRate: number };
}

export function score(engine: Engine, cases: PeerCase[], disagreements: Disagreement[]): Score {
  const reviewed = new Map(disagreements.map((d) => [caseKey(d), d]));
  const used = new Set<string>();
  const s: Score = {
    pauseCases: 0, pausedOfPause: 0, allowCases: 0, pausedOfAllow: 0, informational: 0, pausedOfInformational: 0,
    unexplained: [], stale: [], adjusted: { pauseRate: 0, allowPauseRate: 0 }, raw: { pauseRate: 0, allowPauseRate: 0 },
  };
  let reviewedPause = 0;
  let reviewedAllow = 0;
  for (const c of cases) {
    const ours = engine.check(c.command, { cwd: '/work/project', reader: { readFile: () => undefined } }).verdict;
    const want = wanted(c);
    if (want === 'informational') {
      s.informational++;
      if (ours === 'pause') s.pausedOfInformational++;
      continue;
    }
    const agrees = ours === want;
    if (want === 'pause') {
      s.pauseCases++;
      if (ours === 'pause') s.pausedOfPause++;
    } else {
      s.allowCases++;
      if (ours === 'pause') s.pausedOfAllow++;
    }
    const key = caseKey(c);
    if (agrees) continue;
    if (reviewed.has(key)) {
      used.add(key);
      if (want === 'pause') reviewedPause++;
      else reviewedAllow++;
    } else {
      s.unexplained.push({ c, ours });
    }
  }
  for (const d of disagreements) if (!used.has(caseKey(d))) s.stale.push(d);
  s.raw = { pauseRate: s.pausedOfPause / s.pauseCases, allowPauseRate: s.pausedOfAllow / s.allowCases };
  s.adjusted = {
    pauseRate: s.pausedOfPause / (s.pauseCases - reviewedPause),
    // A reviewed allow case is one we pause on purpose: out of both counts.
    allowPauseRate: (s.pausedOfAllow - reviewedAllow) / (s.allowCases - reviewedAllow),
  };
  return s;
}
