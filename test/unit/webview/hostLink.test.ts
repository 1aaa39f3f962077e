// The panel's requests to the host (webview/src/hostLink.ts): each reply goes to the request with
// its id, once; a reply no request waits for is ignored and logged; a request left unanswered times
// out; and no more than the bound wait at once.
import assert from 'node:assert/strict';
import { DenyRequest, PageRequest, readReply, ReadyCommand, type IpcMessage } from '../../../src/core/review/protocol';
import { HostLink } from '../../../webview/src/hostLink';

const PAGE = { planHash: 'h', page: { index: 1, size: 50, total: 51, items: [] } };

function link(limits = { timeoutMs: 1_000, maxOutstanding: 4 }) {
  const sent: IpcMessage[] = [];
  const warnings: string[] = [];
  const host = new HostLink((message) => sent.push(message), (message) => warnings.push(message), 'w', limits);
  /** Hands `data` over as the panel's message listener does: only what readReply accepts. */
  const receive = (data: unknown): void => {
    const reply = readReply(data);
    if (reply) host.reply(reply);
  };
  return { host, sent, warnings, receive };
}

/** Whether `promise` has settled, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
}

describe('panel requests to the host', () => {
  it('sends commands and requests with fresh ids and matches each reply to its request by id', async () => {
    const { host, sent, receive } = link();
    host.command(ReadyCommand, {});
    const page = host.request(PageRequest, { id: 'r1', page: 1 });
    const deny = host.request(DenyRequest, { id: 'r2', nonce: 'n' });
    assert.deepEqual(sent, [
      { id: 'w1', method: ReadyCommand.method, params: {} },
      { id: 'w2', method: PageRequest.method, params: { id: 'r1', page: 1 } },
      { id: 'w3', method: DenyRequest.method, params: { id: 'r2', nonce: 'n' } },
    ]);
    // answered out of order: each reply settles the request with its id
    receive({ id: 'w3', error: 'This request is no longer waiting.' });
    receive({ id: 'w2', response: PAGE });
    assert.deepEqual(await deny, { ok: false, error: 'This request is no longer waiting.' });
    assert.deepEqual(await page, { ok: true, value: PAGE });
  });

  it('ignores and logs a reply with an unknown or mismatched id, and a second reply to the same request', async () => {
    const { host, warnings, receive } = link();
    const page = host.request(PageRequest, { id: 'r1', page: 1 });
    receive({ id: 'w9', response: PAGE }); // never sent
    receive({ id: 'W1', response: PAGE }); // not the id sent
    receive({ id: 1, response: PAGE }); // a number where the id sent was a string: not even read as a reply
    assert.equal(await settled(page), false);
    assert.deepEqual(warnings, ['dropped a reply to "w9", which no request waits for', 'dropped a reply to "W1", which no request waits for']);
    receive({ id: 'w1', response: PAGE });
    assert.deepEqual(await page, { ok: true, value: PAGE });
    receive({ id: 'w1', error: 'late' });
    assert.equal(warnings.at(-1), 'dropped a reply to "w1", which no request waits for');
    assert.deepEqual(await page, { ok: true, value: PAGE });
  });

  it("settles a request with an error when the reply does not fit the request's response", async () => {
    const { host, warnings, receive } = link();
    const page = host.request(PageRequest, { id: 'r1', page: 1 });
    receive({ id: 'w1', response: { planHash: 'h', diff: { address: 'a', unified: '', masked: 0 } } });
    assert.deepEqual(await page, { ok: false, error: 'The extension’s answer could not be read.' });
    assert.deepEqual(warnings, ['dropped the reply to plan/page w1: unexpected field "diff"']);
  });

  it('times a request out, and ignores its reply when it comes after', async () => {
    const { host, warnings, receive } = link({ timeoutMs: 30, maxOutstanding: 4 });
    const started = Date.now();
    const reply = await host.request(DenyRequest, { id: 'r1', nonce: 'n' });
    assert.equal(reply.ok, false);
    if (!reply.ok) assert.match(reply.error, /^The extension did not answer within \d+ s\.$/);
    assert.ok(Date.now() - started >= 25, 'not before its time');
    receive({ id: 'w1', response: {} });
    assert.deepEqual(warnings, ['dropped a reply to "w1", which no request waits for']);
  });

  it('refuses a request at once, sending nothing, while the bound of outstanding requests is reached', async () => {
    const { host, sent, receive } = link({ timeoutMs: 1_000, maxOutstanding: 2 });
    const first = host.request(PageRequest, { id: 'r1', page: 1 });
    const second = host.request(PageRequest, { id: 'r1', page: 2 });
    assert.deepEqual(await host.request(PageRequest, { id: 'r1', page: 3 }), { ok: false, error: '2 requests are already waiting for the extension; try again in a moment.' });
    assert.equal(sent.length, 2);
    receive({ id: 'w1', response: PAGE });
    assert.deepEqual(await first, { ok: true, value: PAGE });
    // one answered, one more may go
    const third = host.request(PageRequest, { id: 'r1', page: 3 });
    assert.deepEqual(sent.map((m) => m.id), ['w1', 'w2', 'w3']);
    receive({ id: 'w2', error: 'no' });
    receive({ id: 'w3', error: 'no' });
    assert.deepEqual(await Promise.all([second, third]), [
      { ok: false, error: 'no' },
      { ok: false, error: 'no' },
    ]);
  });
});
