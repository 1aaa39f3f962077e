/**
 * The review panel's entry point (bundled to dist/webview/panel.js). It renders what the host sends
 * and forwards the person's clicks; every decision is the host's.
 */
import { ReadyCommand, StateNotification } from '../../src/core/review/protocol';
import { Board } from './board';
import { connectToHost } from './ipc';
import { HostClock } from './model/hostClock';

const root = document.getElementById('app');
if (!root) throw new Error('the panel page has no #app element');

const ipc = connectToHost();
const board = new Board(root, { send: ipc.send, request: ipc.request, clock: new HostClock() });
ipc.on(StateNotification, (state) => board.render(state));
setInterval(() => board.tick(), 1000);
ipc.send(ReadyCommand, {});
