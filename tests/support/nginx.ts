import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's nginx (CI installs it; the test machine has it). */
export const nginxPath = '/usr/sbin/nginx';

/** One request as nginx logged it: which server process (upstream, host:port) answered it. */
export interface ProxiedRequest {
  method: string;
  uri: string;
  status: number;
  upstream: string;
}

export interface Nginx {
  origin: string;
  /** Every request nginx logged so far, in order (nginx logs a request just after its response left). */
  requests(): ProxiedRequest[];
  /** The logged requests once `isComplete` holds for them (or after five seconds, for the caller's assertion to fail). */
  logged(isComplete: (requests: ProxiedRequest[]) => boolean): Promise<ProxiedRequest[]>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The reverse-proxy configuration of docs/operations.md, unprivileged in the foreground: round robin
 * over the server processes (no sticky sessions), the client's address in X-Forwarded-For (so the
 * processes run with TRUST_PROXY=1), nginx's default retry (a request that could not reach one
 * process goes to another; a POST that reached one is never sent twice), and each request's
 * upstream logged, so a test can prove that both processes answered.
 */
export function nginxConfig(dir: string, port: number, upstreams: readonly number[]): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
# A room of phones holds one event stream each (two connections through the proxy).
events { worker_connections 1024; }
http {
  log_format upstreams '$request_method $uri $status $upstream_addr';
  access_log ${dir}/access.log upstreams;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream weltoffen {
${upstreams.map((upstream) => `    server 127.0.0.1:${upstream};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    # Kommune bundles may be up to 50 MB.
    client_max_body_size 60m;
    location / {
      proxy_pass http://weltoffen;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** Starts nginx on `port` in front of the given server ports and waits until it proxies /api/health. */
export async function startNginx(port: number, upstreams: readonly number[]): Promise<Nginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'weltoffen-nginx-'));
  // Started as root (CI), nginx's workers run as nobody: they must reach the folder and write their
  // buffers of large bodies (reports, bundles) into the temporary folders.
  chmodSync(dir, 0o755);
  for (const folder of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(path.join(dir, folder));
    chmodSync(path.join(dir, folder), 0o777);
  }
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreams));
  const child = spawn(nginxPath, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const errors = () => `${output}${existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // QUIT: nginx finishes the requests in flight, then ends.
      child.kill('SIGQUIT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; ) {
    try {
      if ((await fetch(`${origin}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      const text = errors();
      await stop();
      throw new Error(`nginx startete nicht:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const requests = (): ProxiedRequest[] =>
      (existsSync(path.join(dir, 'access.log')) ? readFileSync(path.join(dir, 'access.log'), 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [method, uri, status, ...upstreams] = line.split(' ');
          // After a process could not be reached nginx lists every one it tried: the last one answered.
          return { method: method!, uri: uri!, status: Number(status), upstream: upstreams.join(' ').split(', ').at(-1)! };
        });
  return {
    origin,
    output: errors,
    requests,
    async logged(isComplete) {
      for (const deadline = Date.now() + 5_000; Date.now() < deadline && !isComplete(requests()); ) await new Promise((resolve) => setTimeout(resolve, 20));
      return requests();
    },
    stop,
  };
}
