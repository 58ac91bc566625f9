// A reverse proxy on loopback that holds requests to one path until a group of them has arrived,
// then forwards the group at once. Two tabs' refreshes then both reach the server with the same
// refresh cookie, whatever the timing of the machine: the race is made, not hoped for.
import http from 'node:http';

/**
 * Start it before the host (the host must allow its origin); set `targetPort` once the host runs.
 * @param {object} options
 * @param {RegExp} options.hold paths whose requests are held
 * @param {number} [options.group] how many held requests are released together
 * @param {number} [options.maxWaitMs] a lone request is released after this long
 */
export async function startHoldProxy({ hold, group = 2, maxWaitMs = 3_000 }) {
  const agent = new http.Agent({ keepAlive: true });
  let waiting = [];
  let timer = null;
  const stats = { groups: [] };

  const releaseAll = () => {
    clearTimeout(timer);
    timer = null;
    const released = waiting;
    waiting = [];
    stats.groups.push(released.length);
    for (const forward of released) forward();
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const forward = () => {
        const upstream = http.request({
          host: '127.0.0.1', port: proxy.targetPort, method: req.method, path: req.url, headers: req.headers, agent,
        }, (answer) => {
          res.writeHead(answer.statusCode, answer.rawHeaders);
          answer.pipe(res);
        });
        upstream.on('error', (error) => {
          if (res.headersSent) res.destroy(); else { res.writeHead(502); res.end(String(error)); }
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (!proxy.holding || !hold.test(new URL(req.url, 'http://x').pathname)) return forward();
      waiting.push(forward);
      if (waiting.length >= group) releaseAll();
      else timer ??= setTimeout(releaseAll, maxWaitMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  const proxy = {
    base: `http://127.0.0.1:${port}`,
    targetPort: null,
    holding: false,   // forwards everything at once until the test turns holding on
    /** Sizes of the groups released so far (a 1 means a request waited alone until maxWaitMs). */
    stats,
    async stop() {
      if (waiting.length) releaseAll();
      agent.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
