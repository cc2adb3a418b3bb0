import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TestCertificates = {
  caCert: Buffer;
  cert: Buffer;
  key: Buffer;
  certPath: string;
  keyPath: string;
};

/**
 * A throwaway CA and a server certificate it signed for localhost and 127.0.0.1,
 * made with the openssl CLI in `dir`. EC P-256 keys: generated in milliseconds.
 */
export function makeCertificates(dir: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
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
    "/CN=localhost",
    "-out",
    file("server.csr"),
  );
  writeFileSync(file("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
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
    file("san.ext"),
    "-out",
    file("server.crt"),
  );
  return {
    caCert: readFileSync(file("ca.crt")),
    cert: readFileSync(file("server.crt")),
    key: readFileSync(file("server.key")),
    certPath: file("server.crt"),
    keyPath: file("server.key"),
  };
}
