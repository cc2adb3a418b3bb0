// Debian's nginx running a web image's nginx configuration (web/nginx.conf as the image has it
// in /etc/nginx/conf.d/default.conf) over the image's files, on a loopback port. Only the
// listen address and the document root are rewritten to this machine's; everything else is
// the image's configuration, checked by `nginx -t` first.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requireCommand } from "@teams/tools/system-packages";
import { waitForPort } from "./wait-for-port.ts";

const run = promisify(execFile);

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The image's site configuration, listening on `port` and serving from `imageRoot`. */
export async function siteConfig(imageRoot: string, port: number, conf?: string): Promise<string> {
  const text = conf ?? (await readFile(join(imageRoot, "etc/nginx/conf.d/default.conf"), "utf8"));
  return text
    .replace(/^(\s*)listen\s+(\d+)\s*;/m, `$1listen 127.0.0.1:${port};`)
    .replace(/^(\s*)root\s+\/([^;]+);/m, `$1root ${imageRoot}/$2;`);
}

/** `nginx -t`, then nginx in the foreground; throws with nginx's own message when it refuses. */
export async function startNginx(imageRoot: string, conf?: string): Promise<RunningNginx> {
  const prefix = await mkdtemp(join(tmpdir(), "teams-nginx-"));
  const port = await freePort();
  await writeFile(join(prefix, "site.conf"), await siteConfig(imageRoot, port, conf));
  // The http block of the nginx image's /etc/nginx/nginx.conf, with paths in `prefix`.
  const main = `pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
worker_processes 1;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/site.conf;
}
`;
  const confPath = join(prefix, "nginx.conf");
  await writeFile(confPath, main);
  const nginxCommand = requireCommand("nginx");
  const args = ["-p", prefix, "-c", confPath, "-e", `${prefix}/error.log`];
  try {
    await run(nginxCommand, ["-t", ...args]);
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`nginx -t refused the image's configuration:\n${stderr}`);
  }
  const nginx: ChildProcess = spawn(nginxCommand, [...args, "-g", "daemon off;"], {
    stdio: "ignore",
  });
  const exited = once(nginx, "exit");
  try {
    await waitForPort(port, exited, () => new Error("nginx exited before it listened"));
  } catch (error) {
    nginx.kill("SIGKILL");
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      nginx.kill("SIGQUIT");
      await exited;
    },
  };
}
