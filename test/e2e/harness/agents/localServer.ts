import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Far beyond any request an agent sends a model; a body past it is refused. */
const MAX_BODY_BYTES = 16 << 20;

/** A scripted model's request body as text; undefined past MAX_BODY_BYTES or when the request fails. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

/** Starts `server` on a free port of 127.0.0.1; `close` ends it with every connection still open. */
export async function listenOnLoopback(server: Server): Promise<{ readonly port: number; readonly close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { port, close };
}
