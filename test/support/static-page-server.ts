import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticPageServer {
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  origin: string;
  close(): Promise<void>;
}

/** Serves one HTML page at every path on 127.0.0.1 and a free port: another origin than the gateway's, for browser tests. */
export async function serveStaticPage(html: string): Promise<StaticPageServer> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
