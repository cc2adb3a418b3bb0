// One temporary folder per test file for assembled images and their npm cache.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AssembledImage, assembleImage } from "../../src/image-assembly.ts";
import { readRepoFile, repoPath } from "../../src/stack-files.ts";

export interface ImageWorkspace {
  dir: string;
  /** The repo's Dockerfile, or a broken copy of its text. */
  assemble(dockerfilePath: string, edit?: (text: string) => string): Promise<AssembledImage>;
  remove(): Promise<void>;
}

export async function imageWorkspace(name: string): Promise<ImageWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), `teams-${name}-image-`));
  // Readable by the unprivileged users the images run as (nginx's workers, the server).
  await chmod(dir, 0o755);
  return {
    dir,
    assemble: (dockerfilePath, edit = (text) => text) =>
      assembleImage({
        dockerfile: edit(readRepoFile(dockerfilePath)),
        context: repoPath(""),
        workDir: dir,
        npmCache: join(dir, "npm-cache"),
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
