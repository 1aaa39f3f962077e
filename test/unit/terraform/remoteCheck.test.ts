import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateLocation } from '../../../src/core/terraform/backendConfig';
import {
  BackendRead,
  checkLocalAgainstRemote,
  HeldState,
  formatRemoteCheck,
  readStateText,
  RemoteCheck,
  RemoteCheckInput,
  RemoteCheckStatus,
  StateRead,
} from '../../../src/core/terraform/remoteCheck';
import type { StateSummary } from '../../../src/core/terraform/types';

/** Real states (test/fixtures/terraform/states/PROVENANCE.md): byte copies of the shared fixtures. */
const FIXTURES = join(__dirname, '../../fixtures/terraform/states');
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** driftctl lineage b4b284a7…: serial 398 (26 resources), 556 (12), 591 (9). */
const S3_398 = 'driftctl-aws_s3_full.tfstate';
const IAM_556 = 'driftctl-aws_iam_user_policy_multiple.tfstate';
const IAM_591 = 'driftctl-aws_iam_user_policy_attachment.tfstate';
/** terraboard lineage b7d45aa5a…: serial 2 (Terraform 0.12.28) → 3 (1.0.0), one resource. */
const T_2 = 'terraboard-terraform_1_0.12.28.tfstate';
const T_3 = 'terraboard-terraform_1_1.0.0.tfstate';
/** The same EKS resources under two lineages (a17194aa… serial 22, b17194aa… serial 23). */
const EKS = 'terraboard-minio1-terraform_1.tfstate';
const EKS_OTHER_LINEAGE = 'terraboard-minio1-terraform2_1.tfstate';
/** One configuration applied twice: the same addresses, other ids, two lineages. */
const NULLS = 'terraform-json-110_sensitive_values.tfstate';
const NULLS_OTHER_APPLY = 'terraform-json-has_changes.tfstate';
/** jond3k dev1 / dev2: two environments of one configuration, each its own lineage. */
const DEV1 = 'jond3k-dev1.tfstate';
const DEV2 = 'jond3k-dev2.tfstate';

/** `read`, checked to be of `kind`. */
function expectRead<K extends StateRead['kind']>(read: StateRead, kind: K): Extract<StateRead, { kind: K }> {
  assert.equal(read.kind, kind, JSON.stringify(read));
  return read as Extract<StateRead, { kind: K }>;
}
const held = (name: string): HeldState => expectRead(readStateText(text(name)), 'state');
const summary = (name: string): StateSummary => held(name).state;
const NONE: StateRead = { kind: 'none' };
/** What state pull prints when the backend holds no state yet, and the empty file state migration leaves. */
const EMPTY = expectRead(readStateText(''), 'none');

const DIR = '/work/stack';
const LOCAL_FILE = `${DIR}/terraform.tfstate`;
const HERE: StateLocation = { kind: 'local-here', statePath: LOCAL_FILE };
const ELSEWHERE: StateLocation = { kind: 'local-elsewhere', statePath: '/work/other/real.tfstate' };
const HTTP: StateLocation = { kind: 'remote', backendType: 'http' };
const S3: StateLocation = { kind: 'remote', backendType: 's3' };
const UNKNOWN: StateLocation = { kind: 'unknown', reason: 'The backend file terraform init wrote is not JSON; run terraform init again.' };

const NO_CREDENTIALS: BackendRead = {
  kind: 'unreadable',
  code: 'no-credentials',
  reason: "the backend refused terraform's credentials, or found none: log in (or set the backend's credentials) where VS Code runs, then check again.",
  detail: 'Failed to refresh state: HTTP remote state endpoint requires auth',
};
const TIMED_OUT: BackendRead = { kind: 'unreadable', code: 'timeout', reason: '`terraform state pull` did not answer within 20 s and was stopped.' };

interface Case {
  readonly name: string;
  readonly location: StateLocation;
  readonly local: StateRead;
  readonly backend: BackendRead;
  readonly baseline?: StateSummary;
  /** Each must match one of the reasons. */
  readonly reasons: readonly RegExp[];
}

const input = (c: Case): RemoteCheckInput => ({ location: c.location, localFile: { path: LOCAL_FILE, read: c.local }, backend: c.backend, ...(c.baseline ? { baseline: c.baseline } : {}) });

/**
 * In the manner of ESLint's RuleTester, one table per outcome; each rule has a row of its own. A
 * "derived" row changes a real state in the test (a serial lowered), never the fixture.
 */
const CASES: Readonly<Record<RemoteCheckStatus, readonly Case[]>> = {
  consistent: [
    {
      name: 'default local backend: the file and what state pull printed are one state (terraboard serial 3)',
      location: HERE,
      local: held(T_3),
      backend: held(T_3),
      reasons: [/is the state terraform uses here: lineage b7d45aa5a-812a-2d1f-e5e6-835215928e00, serial 3, 1 resource\./],
    },
    {
      name: 'default local backend, a later write of the state Countersign recorded (terraboard serial 2 → 3)',
      location: HERE,
      local: held(T_3),
      backend: held(T_3),
      baseline: summary(T_2),
      reasons: [/is the one Countersign recorded \(lineage b7d45aa5a-812a-2d1f-e5e6-835215928e00\), serial 2 → 3\./],
    },
    {
      name: 'http backend, no local file, a later serial than recorded (driftctl 556 → 591)',
      location: HTTP,
      local: NONE,
      backend: held(IAM_591),
      baseline: summary(IAM_556),
      reasons: [/There is no state file at \/work\/stack\/terraform\.tfstate; terraform uses the http backend's state\./, /serial 556 → 591/],
    },
    {
      name: 'a large change at a later serial is someone’s apply, not held here (driftctl 9566e18d…: 526 → 575, 1 → 7 resources)',
      location: S3,
      local: NONE,
      backend: held('driftctl-aws_lb_listener.tfstate'),
      baseline: summary('driftctl-aws_lb.tfstate'),
      reasons: [/serial 526 → 575/],
    },
    {
      name: 's3 backend beside the empty terraform.tfstate that state migration leaves behind',
      location: S3,
      local: EMPTY,
      backend: held(S3_398),
      reasons: [/There is no state file at/],
    },
    {
      name: 'no state anywhere yet: no file, and state pull printed nothing',
      location: HERE,
      local: NONE,
      backend: EMPTY,
      reasons: [/There is no state yet/],
    },
  ],
  conflict: [
    {
      name: 'another lineage: the local file and the backend hold the same EKS resources under two lineages',
      location: ELSEWHERE,
      local: held(EKS),
      backend: held(EKS_OTHER_LINEAGE),
      reasons: [/lineage a17194aa-6d00-151a-fe54-3b8fa4d56a4e\) and the local backend's state in \/work\/other\/real\.tfstate \(lineage b17194aa-6d00-151a-fe54-3b8fa4d56a4e\) are different states/],
    },
    {
      name: 'the local file behind the backend: same lineage, serial 398 against 591',
      location: HTTP,
      local: held(S3_398),
      backend: held(IAM_591),
      reasons: [/is an older copy of the http backend's state: serial 398, where the backend is at 591\./],
    },
    {
      name: 'the serial going backwards: the backend at 556 where Countersign recorded 591',
      location: HTTP,
      local: NONE,
      backend: held(IAM_556),
      baseline: summary(IAM_591),
      reasons: [/^The http backend's state is not the one Countersign recorded \(lineage b4b284a7-9835-6ae1-b6c5-21100080f61e, serial 591\): The serial went down \(591 → 556\)/],
    },
    {
      name: 'the serial going backwards on the default local backend (derived: terraboard serial 3 lowered to 1)',
      location: HERE,
      local: held(T_3),
      backend: { kind: 'state', state: { ...summary(T_3), serial: 1 } },
      baseline: summary(T_3),
      reasons: [/The serial went down \(3 → 1\)/],
    },
    {
      name: 'the backend holds another lineage than recorded (dev1 recorded, dev2 pulled)',
      location: S3,
      local: NONE,
      backend: held(DEV2),
      baseline: summary(DEV1),
      reasons: [/The lineage changed \(d53edfdb-6d1b-8225-a771-a5983b4ba262 → a5f12cae-e8a2-e573-490d-05fbc9a5c0e1\)/],
    },
    {
      name: 'the backend at the recorded serial with other resources (derived: driftctl serial 591 with one address dropped)',
      location: HTTP,
      local: NONE,
      backend: { kind: 'state', state: { ...summary(IAM_591), addresses: summary(IAM_591).addresses.slice(1) } },
      baseline: summary(IAM_591),
      reasons: [/The serial stayed at 591 but the resources differ/],
    },
    {
      name: 'the backend lost its state: state pull printed nothing where Countersign recorded 26 resources',
      location: S3,
      local: NONE,
      backend: EMPTY,
      baseline: summary(S3_398),
      reasons: [/The s3 backend's state is gone: Countersign recorded one with 26 resources/],
    },
    {
      name: 'a local file with resources beside an http backend holding that very state: terraform will not use it',
      location: HTTP,
      local: held(IAM_591),
      backend: held(IAM_591),
      reasons: [/terraform\.tfstate holds a state with 9 resources, but terraform will not use this file: it reads and writes the http backend's state\./],
    },
    {
      name: 'a local file beside the local backend at another path',
      location: ELSEWHERE,
      local: held(T_3),
      backend: held(T_3),
      reasons: [/terraform will not use this file: it reads and writes the local backend's state in \/work\/other\/real\.tfstate/],
    },
    {
      name: 'a local file beside an http backend that could not be read: a conflict, and the backend named as not checked',
      location: HTTP,
      local: held(EKS),
      backend: NO_CREDENTIALS,
      reasons: [/terraform will not use this file/, /^The backend's state was not checked: the backend refused terraform's credentials/],
    },
    {
      name: 'another lineage even where the backend file could not be read',
      location: UNKNOWN,
      local: held(DEV1),
      backend: held(DEV2),
      reasons: [/are different states/, /Which state terraform uses here is not known/],
    },
  ],
  unchecked: [
    { name: 'the backend refused the credentials (http 401)', location: HTTP, local: NONE, backend: NO_CREDENTIALS, reasons: [/^The backend's state was not checked: the backend refused/] },
    {
      name: 'state pull timed out, with a recorded state that cannot be compared',
      location: HTTP,
      local: NONE,
      backend: TIMED_OUT,
      baseline: summary(IAM_591),
      reasons: [/^The backend's state was not checked: `terraform state pull` did not answer within 20 s/],
    },
    { name: 'the backend file could not be read', location: UNKNOWN, local: NONE, backend: held(T_3), reasons: [/^Which state terraform uses here is not known: The backend file/] },
    {
      name: 'the local file is a plan, not a state',
      location: HTTP,
      local: readStateText(text('jond3k-dev1-plan.json')),
      backend: held(DEV1),
      reasons: [/^The local state file \/work\/stack\/terraform\.tfstate could not be read: This is a plan/],
    },
    {
      name: 'the default local file read at serial 591 and pulled at 556: it changed between the two reads',
      location: HERE,
      local: held(IAM_591),
      backend: held(IAM_556),
      reasons: [/changed while it was being checked; check again\./],
    },
    { name: 'the default local file appeared between its two reads', location: HERE, local: NONE, backend: held(T_3), reasons: [/changed while it was being checked/] },
  ],
};

describe('local against remote: the state here, the backend’s and the recorded one', () => {
  for (const [status, cases] of Object.entries(CASES)) {
    describe(status, () => {
      for (const c of cases) {
        it(c.name, () => {
          const check = checkLocalAgainstRemote(input(c));
          assert.equal(check.status, status, check.reasons.join('\n'));
          for (const pattern of c.reasons) assert.ok(check.reasons.some((r) => pattern.test(r)), `no reason matches ${pattern}:\n${check.reasons.join('\n')}`);
        });
      }
    });
  }

  it('orders the reasons: conflicts, then what was not checked, then what agrees', () => {
    const check = checkLocalAgainstRemote({ location: HTTP, localFile: { path: LOCAL_FILE, read: held(EKS) }, backend: NO_CREDENTIALS });
    assert.deepEqual(
      check.reasons.map((r) => (/not checked/.test(r) ? 'unchecked' : /will not use/.test(r) ? 'conflict' : 'other')),
      ['conflict', 'unchecked'],
    );
  });

  it('shows both sides: the addresses on one side only, and the same address naming another object', () => {
    const check = checkLocalAgainstRemote({ location: HTTP, localFile: { path: LOCAL_FILE, read: held(NULLS) }, backend: held(NULLS_OTHER_APPLY) });
    assert.equal(check.status, 'conflict');
    const c = check.localAgainstBackend;
    assert.ok(c, 'both sides compared');
    assert.equal(c.old.lineage, summary(NULLS_OTHER_APPLY).lineage, 'old is the backend');
    assert.equal(c.new.lineage, summary(NULLS).lineage, 'new is the local file');
    assert.deepEqual(c.added, ['module.foo.null_resource.aliased'], 'only in the local file');
    assert.deepEqual(c.removed, ['data.null_data_source.baz'], 'only in the backend');
    assert.ok(c.differentObjects?.some((o) => o.address === 'null_resource.foo'), JSON.stringify(c.differentObjects));

    const grown = checkLocalAgainstRemote({ location: ELSEWHERE, localFile: { path: LOCAL_FILE, read: held(S3_398) }, backend: held(IAM_591) }).localAgainstBackend;
    assert.ok(grown && grown.added.length > 0 && grown.removed.length > 0, 'addresses only in the local file and only in the backend');
  });

  it('is never consistent when anything could not be read', () => {
    const locations = [HERE, ELSEWHERE, HTTP, UNKNOWN];
    const locals: StateRead[] = [NONE, held(T_3), held(EKS), { kind: 'unreadable', reason: 'too large' }];
    const backends: BackendRead[] = [NONE, held(T_3), held(EKS), NO_CREDENTIALS, TIMED_OUT];
    const baselines = [undefined, summary(T_3), summary(T_2)];
    for (const location of locations) {
      for (const local of locals) {
        for (const backend of backends) {
          for (const baseline of baselines) {
            const check = checkLocalAgainstRemote({ location, localFile: { path: LOCAL_FILE, read: local }, backend, ...(baseline ? { baseline } : {}) });
            const unread = location.kind === 'unknown' || local.kind === 'unreadable' || backend.kind === 'unreadable';
            if (unread) assert.notEqual(check.status, 'consistent', JSON.stringify({ location, local: local.kind, backend: backend.kind }));
            assert.ok(check.reasons.length > 0, 'always says why');
          }
        }
      }
    }
  });

  describe('formatRemoteCheck', () => {
    it('prints the verdict, where terraform keeps the state, the reasons, the three sides and the addresses that differ', () => {
      const check: RemoteCheck = checkLocalAgainstRemote({ location: ELSEWHERE, localFile: { path: LOCAL_FILE, read: held(EKS) }, backend: held(EKS_OTHER_LINEAGE), baseline: summary(EKS_OTHER_LINEAGE) });
      const out = formatRemoteCheck(check, { maxAddresses: 2 });
      assert.match(out, /^CONFLICT: /);
      assert.match(out, /\n {2}terraform uses the local backend's state in \/work\/other\/real\.tfstate; the local file is \/work\/stack\/terraform\.tfstate\n/);
      assert.match(out, /\n {2}- The local file .* are different states, not two versions of one\.\n/);
      assert.match(out, /\n {2}lineage +a17194aa-6d00-151a-fe54-3b8fa4d56a4e +b17194aa-6d00-151a-fe54-3b8fa4d56a4e +b17194aa-6d00-151a-fe54-3b8fa4d56a4e\n/);
      assert.match(out, /\n {2}serial +22 +23 +23\n/);
      assert.match(out, /\n {2}terraform +1\.1\.3 +1\.1\.3 +1\.1\.3\n/);
    });

    it('marks a side that is absent or was not read', () => {
      const out = formatRemoteCheck(checkLocalAgainstRemote({ location: HTTP, localFile: { path: LOCAL_FILE, read: NONE }, backend: TIMED_OUT }));
      assert.match(out, /^NOT CHECKED: /);
      assert.match(out, /\n {2}serial +\(none\) +\(not read\) +-\n/);
    });

    it('cuts long address lists and counts the rest', () => {
      const out = formatRemoteCheck(checkLocalAgainstRemote({ location: HTTP, localFile: { path: LOCAL_FILE, read: held(S3_398) }, backend: held(IAM_591) }), { maxAddresses: 2 });
      const onlyLocal = /only in the local file \((\d+)\):\n(?: {2}\+ .*\n){2} {2}… and (\d+) more\n/.exec(out);
      assert.ok(onlyLocal, out);
      assert.equal(Number(onlyLocal[1]) - 2, Number(onlyLocal[2]));
      assert.match(out, /only in the backend \(\d+\):\n {2}- /);
    });

    it('says when all agrees', () => {
      assert.match(formatRemoteCheck(checkLocalAgainstRemote({ location: HERE, localFile: { path: LOCAL_FILE, read: held(T_3) }, backend: held(T_3) })), /^CONSISTENT: /);
    });
  });
});
