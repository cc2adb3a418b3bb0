import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The socket inode listening on TCP `port` (any address), from /proc/net/tcp and tcp6. */
function listeningInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDRESS:PORT in hex; state 0A is LISTEN; field 9 is the inode.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") return fields[9];
    }
  }
  return undefined;
}

/**
 * The process listening on TCP `port`, as `ss -ltnp` or `fuser PORT/tcp` would name it
 * (Linux /proc: the socket's inode, then the process holding it); undefined when none does.
 */
export function listeningPid(port: number): number | undefined {
  const inode = listeningInode(port);
  if (!inode) return undefined;
  const socket = `socket:[${inode}]`;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === socket) return Number(entry);
      } catch {} // closed while we looked
    }
  }
  return undefined;
}
