// Headless Chromium that trusts a throwaway CA the way a developer's browser trusts
// a local dev CA (mkcert-style): the CA goes into a fresh NSS database under a
// temporary HOME, which is where Chromium on Linux reads user-added roots. No
// certificate-error bypass, so the page is a real secure context.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireCommand } from "@teams/tools/system-packages";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium: `npx playwright install` cannot download browsers here. */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface TrustingChromium {
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchTrustingChromium(caCertPath: string): Promise<TrustingChromium> {
  const home = mkdtempSync(join(tmpdir(), "gateway-chromium-"));
  const cleanup = (): void => rmSync(home, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    requireCommand(chromiumPath);
    trustCa(home, caCertPath);
    context = await chromium.launchPersistentContext(join(home, "profile"), {
      executablePath: chromiumPath,
      headless: true,
      env: { ...process.env, HOME: home },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic", // HTTP/3 would be a third protocol; the gateway speaks h2 and http/1.1
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      cleanup();
    },
  };
}

/** A new NSS database at $HOME/.pki/nssdb holding the CA as trusted for TLS servers. */
function trustCa(home: string, caCertPath: string): void {
  const database = `sql:${join(home, ".pki", "nssdb")}`;
  mkdirSync(join(home, ".pki", "nssdb"), { recursive: true });
  const command = requireCommand("certutil");
  const certutil = (...args: string[]): void => {
    try {
      execFileSync(command, args, { stdio: "pipe" });
    } catch (error) {
      const err = error as Error & { stderr?: Buffer };
      throw new Error(
        `certutil ${args.join(" ")} failed: ${err.stderr?.toString() ?? err.message}`,
      );
    }
  };
  certutil("-N", "-d", database, "--empty-password");
  certutil("-A", "-d", database, "-n", "Teams gateway test CA", "-t", "C,,", "-i", caCertPath);
}
