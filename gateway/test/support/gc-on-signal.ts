// Preloaded into gateway child processes started with --expose-gc: on SIGUSR2 it
// collects garbage and prints one JSON line with the memory figures, so a test can
// compare memory before and after a run without the heap's leftovers in the way.
process.on("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const line = { msg: "memory", rss, heapUsed, external, arrayBuffers };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
