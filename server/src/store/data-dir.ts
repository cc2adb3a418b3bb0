// DATA_DIR's default, shared by the store (the SQLite file) and auth (the development key).
import { fileURLToPath } from "node:url";

/** `data/` at the repository root (ignored by git). */
export const defaultDataDir = fileURLToPath(new URL("../../../data/", import.meta.url));
