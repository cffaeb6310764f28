/** HTTP servers on 127.0.0.1 for URL tests: two ports are two origins; each logs the paths asked. */
import { createServer, type Server, type ServerResponse } from 'node:http';

export type Route = (res: ServerResponse) => void;

export class LocalServers {
  private readonly servers: Server[] = [];

  /** Starts a server answering `routes` (404 otherwise), logging each request's path; resolves with its origin. */
  serve(log: string[], routes: Map<string, Route>): Promise<string> {
    return new Promise((resolve) => {
      const server = createServer((req, res) => {
        log.push(req.url ?? '');
        const route = routes.get(req.url ?? '');
        if (route) route(res);
        else { res.statusCode = 404; res.end(); }
      });
      this.servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
    });
  }

  close(): Promise<unknown> {
    return Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
