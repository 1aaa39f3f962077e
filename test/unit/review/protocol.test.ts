// The review panel protocol, message by message, in the manner of typescript-eslint's RuleTester: for
// each kind of message a table of named valid and invalid cases, read the way its receiver reads it.
// Panel → host through the host's reader (readPanelMessage); host → panel, a notification through
// readEnvelope and its validator, a reply through readReply and the panel's HostLink, which hands it
// to the request with its id and checks the response with that request's validator.
import assert from 'node:assert/strict';
import {
  AcceptSwapRequest,
  ApproveRequest,
  BackUpFirstRequest,
  CancelBackupCommand,
  CancelPreviewCommand,
  DenyRequest,
  DiffRequest,
  FROM_PANEL,
  PageRequest,
  ReadyCommand,
  readEnvelope,
  readReply,
  RestoreSwapRequest,
  RetryPreviewCommand,
  StateNotification,
  type IpcMessage,
  type IpcRequest,
} from '../../../src/core/review/protocol';
import { readPanelMessage } from '../../../src/extension/review/panelMessages';
import { HostLink } from '../../../webview/src/hostLink';

interface Valid {
  readonly name: string;
  readonly data: unknown;
  /** What the reader returns, when not `data` itself. */
  readonly read?: unknown;
}
interface Invalid {
  readonly name: string;
  readonly data: unknown;
  readonly error: RegExp;
}
interface Table {
  readonly valid: readonly Valid[];
  readonly invalid: readonly Invalid[];
}

const msg = (method: string, params: unknown, id = 'w1'): IpcMessage => ({ id, method, params });
const approve = { id: 'r1', nonce: 'n', planHash: 'sha256:1', phrase: 'prod' };
const deny = { id: 'r1', nonce: 'n' };
const swap = { id: 's1', nonce: 'n', phrase: 'b17194aa' };

/** Panel → host: the envelope, then one table per command or request. */
const FROM_PANEL_CASES: Readonly<Record<string, Table>> = {
  envelope: {
    valid: [
      { name: 'params may be left out', data: { id: 'w2', method: ReadyCommand.method }, read: msg(ReadyCommand.method, {}, 'w2') },
      { name: 'an id of 64 characters', data: msg(DenyRequest.method, deny, 'w'.repeat(64)) },
    ],
    invalid: [
      { name: 'nothing', data: null, error: /^not an IPC message$/ },
      { name: 'a bare string', data: 'request/approve', error: /^not an IPC message$/ },
      { name: 'an array', data: ['w1', ApproveRequest.method, approve], error: /^not an IPC message$/ },
      { name: 'no id', data: { method: ApproveRequest.method, params: approve }, error: /^not an IPC message$/ },
      { name: 'an empty id', data: msg(DenyRequest.method, deny, ''), error: /^not an IPC message$/ },
      { name: 'an id of 65 characters', data: msg(DenyRequest.method, deny, 'x'.repeat(65)), error: /^not an IPC message$/ },
      { name: 'a numeric id', data: { id: 1, method: DenyRequest.method, params: deny }, error: /^not an IPC message$/ },
      { name: 'a method of 65 characters', data: msg('m'.repeat(65), {}), error: /^not an IPC message$/ },
      { name: 'an unknown method', data: msg('request/approveAll', {}), error: /^unknown method "request\/approveAll"$/ },
      { name: "a notification's method, which only the host sends", data: msg(StateNotification.method, { cards: [] }), error: /^unknown method "panel\/state"$/ },
      { name: 'params that are an array', data: msg(DenyRequest.method, ['r1', 'n']), error: /params must be an object/ },
    ],
  },
  [ReadyCommand.method]: {
    valid: [{ name: 'no params', data: msg(ReadyCommand.method, {}) }],
    invalid: [{ name: 'any field', data: msg(ReadyCommand.method, { cards: [] }), error: /^panel\/ready: unexpected field "cards"$/ }],
  },
  [CancelPreviewCommand.method]: {
    valid: [{ name: 'a card id', data: msg(CancelPreviewCommand.method, { id: 'r1' }) }],
    invalid: [{ name: 'no card id', data: msg(CancelPreviewCommand.method, {}), error: /^preview\/cancel: missing field "id"$/ }],
  },
  [RetryPreviewCommand.method]: {
    valid: [{ name: 'a card id', data: msg(RetryPreviewCommand.method, { id: 'r1' }) }],
    invalid: [{ name: 'a card id over 4096 characters', data: msg(RetryPreviewCommand.method, { id: 'r'.repeat(4097) }), error: /field "id" is too long/ }],
  },
  [ApproveRequest.method]: {
    valid: [
      { name: 'the card, its nonce, the plan hash seen and the phrase typed', data: msg(ApproveRequest.method, approve) },
      { name: 'no plan and no phrase asked', data: msg(ApproveRequest.method, { ...approve, planHash: '', phrase: '' }) },
    ],
    invalid: [
      { name: 'no phrase', data: msg(ApproveRequest.method, { id: 'r1', nonce: 'n', planHash: 'h' }), error: /^request\/approve: missing field "phrase"$/ },
      { name: 'no plan hash', data: msg(ApproveRequest.method, { id: 'r1', nonce: 'n', phrase: '' }), error: /missing field "planHash"/ },
      { name: 'a field to force it', data: msg(ApproveRequest.method, { ...approve, force: true }), error: /unexpected field "force"/ },
      { name: 'a plan hash that is not a string', data: msg(ApproveRequest.method, { ...approve, planHash: 1 }), error: /field "planHash" must be a string/ },
    ],
  },
  [DenyRequest.method]: {
    valid: [{ name: 'the card and its nonce', data: msg(DenyRequest.method, deny) }],
    invalid: [
      { name: 'a numeric card id', data: msg(DenyRequest.method, { id: 7, nonce: 'n' }), error: /field "id" must be a string/ },
      { name: 'no nonce', data: msg(DenyRequest.method, { id: 'r1' }), error: /missing field "nonce"/ },
    ],
  },
  [BackUpFirstRequest.method]: {
    valid: [{ name: 'the card and its nonce', data: msg(BackUpFirstRequest.method, deny) }],
    invalid: [
      { name: 'no nonce', data: msg(BackUpFirstRequest.method, { id: 'r1' }), error: /missing field "nonce"/ },
      { name: 'a target named by the panel', data: msg(BackUpFirstRequest.method, { ...deny, target: 'postgresql://evil' }), error: /unexpected field "target"/ },
    ],
  },
  [CancelBackupCommand.method]: {
    valid: [{ name: 'the card', data: msg(CancelBackupCommand.method, { id: 'r1' }) }],
    invalid: [{ name: 'a card id as a number', data: msg(CancelBackupCommand.method, { id: 1 }), error: /field "id" must be a string/ }],
  },
  [PageRequest.method]: {
    valid: [{ name: 'a page index', data: msg(PageRequest.method, { id: 'r1', page: 3 }) }],
    invalid: [
      { name: 'a negative page', data: msg(PageRequest.method, { id: 'r1', page: -1 }), error: /whole number/ },
      { name: 'a fractional page', data: msg(PageRequest.method, { id: 'r1', page: 1.5 }), error: /whole number/ },
      { name: 'a page as a string', data: msg(PageRequest.method, { id: 'r1', page: '3' }), error: /field "page" must be a number/ },
    ],
  },
  [DiffRequest.method]: {
    valid: [{ name: 'a resource address', data: msg(DiffRequest.method, { id: 'r1', address: 'aws_db_instance.main' }) }],
    invalid: [{ name: 'no address', data: msg(DiffRequest.method, { id: 'r1' }), error: /^plan\/diff: missing field "address"$/ }],
  },
  [AcceptSwapRequest.method]: {
    valid: [{ name: 'the swap, its nonce and the phrase typed', data: msg(AcceptSwapRequest.method, swap) }],
    invalid: [{ name: 'no phrase', data: msg(AcceptSwapRequest.method, { id: 's1', nonce: 'n' }), error: /^swap\/accept: missing field "phrase"$/ }],
  },
  [RestoreSwapRequest.method]: {
    valid: [{ name: 'the swap, its nonce and the phrase typed', data: msg(RestoreSwapRequest.method, swap) }],
    invalid: [{ name: 'a null nonce', data: msg(RestoreSwapRequest.method, { ...swap, nonce: null }), error: /field "nonce" must be a string/ }],
  },
};

/** Host → panel: the state notification as the panel's ipc.ts reads it (envelope, then validator). */
function readState(data: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  const message = readEnvelope(data);
  if (!message || !StateNotification.is(message)) return { ok: false, error: 'not a panel/state message' };
  return StateNotification.validate(message.params);
}

const STATE_CASES: Table = {
  valid: [{ name: 'the cards, the host clock and the kill switch', data: msg(StateNotification.method, { cards: [], now: 0, killed: false }, 'h1'), read: { cards: [], now: 0, killed: false } }],
  invalid: [
    { name: 'no id', data: { method: StateNotification.method, params: { cards: [] } }, error: /not a panel\/state message/ },
    { name: 'params that are a string', data: msg(StateNotification.method, 'cards', 'h1'), error: /params must be an object/ },
  ],
};

interface ReplyCase {
  readonly name: string;
  readonly request: IpcRequest<unknown, unknown>;
  /** The reply, with the id of the request it answers. */
  readonly reply: (id: string) => unknown;
}
interface ReplyTable {
  readonly valid: readonly (ReplyCase & { readonly read: unknown })[];
  readonly invalid: readonly (ReplyCase & { readonly error: RegExp })[];
}

const PAGE = { index: 1, size: 50, total: 51, items: [] };
const DIFF = { address: 'aws_db_instance.main', unified: '', masked: 0 };

/** Host → panel: one table per request's reply; `read` is what the request resolves with. */
const REPLY_CASES: Readonly<Record<string, ReplyTable>> = {
  envelope: {
    valid: [{ name: "an error, whatever the request's response type", request: PageRequest, reply: (id) => ({ id, error: 'This request has no plan to page through.' }), read: { ok: false, error: 'This request has no plan to page through.' } }],
    invalid: [
      { name: 'a response and an error', request: PageRequest, reply: (id) => ({ id, response: { planHash: 'h', page: PAGE }, error: 'no' }), error: /no reply/ },
      { name: 'neither a response nor an error', request: PageRequest, reply: (id) => ({ id, result: {} }), error: /no reply/ },
      { name: 'a field besides', request: PageRequest, reply: (id) => ({ id, method: PageRequest.method, response: {} }), error: /no reply/ },
      { name: 'an error that is not a string', request: PageRequest, reply: (id) => ({ id, error: 5 }), error: /no reply/ },
    ],
  },
  [ApproveRequest.method]: {
    valid: [{ name: 'carried out', request: ApproveRequest, reply: (id) => ({ id, response: {} }), read: { ok: true, value: {} } }],
    invalid: [{ name: 'a response with fields', request: ApproveRequest, reply: (id) => ({ id, response: { approved: true } }), error: /could not be read/ }],
  },
  [DenyRequest.method]: {
    valid: [{ name: 'refused', request: DenyRequest, reply: (id) => ({ id, error: 'This request is no longer waiting.' }), read: { ok: false, error: 'This request is no longer waiting.' } }],
    invalid: [{ name: 'a response that is not an object', request: DenyRequest, reply: (id) => ({ id, response: 'denied' }), error: /could not be read/ }],
  },
  [BackUpFirstRequest.method]: {
    valid: [{ name: 'started', request: BackUpFirstRequest, reply: (id) => ({ id, response: {} }), read: { ok: true, value: {} } }],
    invalid: [{ name: 'a response that is not an object', request: BackUpFirstRequest, reply: (id) => ({ id, response: 'started' }), error: /could not be read/ }],
  },
  [PageRequest.method]: {
    valid: [{ name: 'the plan hash and the page', request: PageRequest, reply: (id) => ({ id, response: { planHash: 'h', page: PAGE } }), read: { ok: true, value: { planHash: 'h', page: PAGE } } }],
    invalid: [{ name: 'a diff where a page is due', request: PageRequest, reply: (id) => ({ id, response: { planHash: 'h', diff: DIFF } }), error: /could not be read/ }],
  },
  [DiffRequest.method]: {
    valid: [{ name: 'the plan hash and the diff', request: DiffRequest, reply: (id) => ({ id, response: { planHash: 'h', diff: DIFF } }), read: { ok: true, value: { planHash: 'h', diff: DIFF } } }],
    invalid: [{ name: 'a null diff', request: DiffRequest, reply: (id) => ({ id, response: { planHash: 'h', diff: null } }), error: /could not be read/ }],
  },
  [AcceptSwapRequest.method]: {
    valid: [{ name: 'carried out', request: AcceptSwapRequest, reply: (id) => ({ id, response: {} }), read: { ok: true, value: {} } }],
    invalid: [{ name: 'a null response', request: AcceptSwapRequest, reply: (id) => ({ id, response: null }), error: /could not be read/ }],
  },
  [RestoreSwapRequest.method]: {
    valid: [{ name: 'refused', request: RestoreSwapRequest, reply: (id) => ({ id, error: 'Could not restore the state: disk full' }), read: { ok: false, error: 'Could not restore the state: disk full' } }],
    invalid: [{ name: 'a response that is an array', request: RestoreSwapRequest, reply: (id) => ({ id, response: [] }), error: /could not be read/ }],
  },
};

/** Sends `request` through a HostLink, hands it `reply(id)` as the panel would, and says what the request got. */
async function answer(request: IpcRequest<unknown, unknown>, reply: (id: string) => unknown): Promise<unknown> {
  const sent: IpcMessage[] = [];
  const link = new HostLink((message) => sent.push(message), () => {}, 'w', { timeoutMs: 50, maxOutstanding: 1 });
  const result = link.request(request, {});
  const read = readReply(reply(sent[0].id));
  if (!read) return 'no reply';
  link.reply(read);
  return result;
}

describe('review panel protocol', () => {
  it('has a table for every command and request the panel may send, and one method each', () => {
    assert.deepEqual(Object.keys(FROM_PANEL_CASES).filter((k) => k !== 'envelope').sort(), FROM_PANEL.map((t) => t.method).sort());
    assert.deepEqual(Object.keys(REPLY_CASES).filter((k) => k !== 'envelope').sort(), FROM_PANEL.filter((t) => t.direction === 'request').map((t) => t.method).sort());
  });

  for (const [kind, { valid, invalid }] of Object.entries(FROM_PANEL_CASES)) {
    describe(`panel → host: ${kind}`, () => {
      for (const c of valid) it(`valid: ${c.name}`, () => assert.deepEqual(readPanelMessage(c.data), { ok: true, value: c.read ?? c.data }));
      for (const c of invalid) {
        it(`invalid: ${c.name}`, () => {
          const read = readPanelMessage(c.data);
          assert.equal(read.ok, false);
          if (!read.ok) assert.match(read.error, c.error);
        });
      }
    });
  }

  describe(`host → panel: ${StateNotification.method}`, () => {
    for (const c of STATE_CASES.valid) it(`valid: ${c.name}`, () => assert.deepEqual(readState(c.data), { ok: true, value: c.read }));
    for (const c of STATE_CASES.invalid) {
      it(`invalid: ${c.name}`, () => {
        const read = readState(c.data);
        assert.equal(read.ok, false);
        if (!read.ok) assert.match(read.error, c.error);
      });
    }
  });

  for (const [kind, { valid, invalid }] of Object.entries(REPLY_CASES)) {
    describe(`host → panel: the reply to ${kind}`, () => {
      for (const c of valid) it(`valid: ${c.name}`, async () => assert.deepEqual(await answer(c.request, c.reply), c.read));
      for (const c of invalid) {
        it(`invalid: ${c.name}`, async () => {
          const got = await answer(c.request, c.reply);
          if (typeof got === 'string') return assert.match(got, c.error);
          assert.equal((got as { ok: boolean }).ok, false);
          assert.match((got as { error: string }).error, c.error);
        });
      }
    });
  }
});
