import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

// The editing panel is loaded with import(): on a busy machine (the whole suite in parallel
// on two cores) the first render of it can take more than the default 1 s.
configure({ asyncUtilTimeout: 5_000 });
