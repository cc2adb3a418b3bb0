// A throwaway CA and a server certificate it signed, made with the openssl CLI at test time,
// for the names given (the gateway's upstream tests need a certificate for a name that is not
// the address they dial). Server and gateway tests import it as "@teams/tools/throwaway-ca".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireCommand } from "./system-packages.ts";

export interface TestCertificates {
  readonly dir: string;
  readonly caCert: Buffer;
  readonly caCertPath: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly certPath: string;
  readonly keyPath: string;
  /** Deletes the directory. */
  cleanup(): void;
}

/** EC P-256 keys: generated in milliseconds. `names`: DNS names and IPs for subjectAltName. */
export function makeCertificates(
  names: readonly string[] = ["localhost", "127.0.0.1"],
): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "teams-tls-"));
  const file = (name: string): string => join(dir, name);
  const command = requireCommand("openssl");
  const openssl = (...args: string[]): void => {
    execFileSync(command, args, { stdio: "pipe" });
  };
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("ca.key"));
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    file("ca.key"),
    "-days",
    "1",
    "-subj",
    "/CN=Teams test CA",
    "-out",
    file("ca.crt"),
  );
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("server.key"));
  openssl(
    "req",
    "-new",
    "-key",
    file("server.key"),
    "-subj",
    `/CN=${names[0]}`,
    "-out",
    file("server.csr"),
  );
  const san = names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`));
  writeFileSync(
    file("leaf.ext"),
    `subjectAltName=${san.join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n`,
  );
  openssl(
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.crt"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    file("leaf.ext"),
    "-out",
    file("server.crt"),
  );
  return {
    dir,
    caCert: readFileSync(file("ca.crt")),
    caCertPath: file("ca.crt"),
    cert: readFileSync(file("server.crt")),
    key: readFileSync(file("server.key")),
    certPath: file("server.crt"),
    keyPath: file("server.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
