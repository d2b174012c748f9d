import http from 'node:http';

export interface LoadResponse {
  status: number;
  text: string;
}

/**
 * A load generator's HTTP client: node:http over kept-alive connections, about a third of the CPU that
 * `fetch` (undici) costs per request. The generator shares this machine's two cores with the server it
 * measures; what it costs is time the server does not get (decision 025 measured fetch at 0.35–0.9 ms
 * per request, node:http at 0.1–0.2 ms).
 */
export function keepAliveClient(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return {
    request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<LoadResponse> {
      return new Promise((resolve, reject) => {
        const outgoing = http.request(
          { host: '127.0.0.1', port, path, method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
