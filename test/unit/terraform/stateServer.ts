import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A state server for terraform's `http` backend: GET gives the stored state (404: none yet), POST
 * stores one. It can refuse (401) or never answer, as a backend without credentials or out of reach.
 */
export class StateServer {
  body: Buffer | undefined;
  mode: 'serve' | 'refuse' | 'hang' = 'serve';
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (this.mode === 'hang') return;
      if (this.mode === 'refuse') return void response.writeHead(401).end();
      if (request.method === 'POST') {
        this.body = Buffer.concat(chunks);
        return void response.writeHead(200).end();
      }
      if (request.method === 'GET') return void (this.body ? response.writeHead(200).end(this.body) : response.writeHead(404).end());
      response.writeHead(405).end();
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/state`;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}
