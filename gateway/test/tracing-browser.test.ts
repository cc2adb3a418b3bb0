// Tracing from the real page in Chromium: the traceparent the page sends with a call is
// continued by the gateway's span, whose child is the server's span, both received by an
// OTLP receiver the test starts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "@teams/server";
import { requireCommand } from "@teams/tools/system-packages";
import { launchBrowser, type TestBrowser } from "@teams/web/e2e/browser";
import { builtPage } from "@teams/web/e2e/built-page";
import type { Gateway } from "../src/index.ts";
import type { OtlpReceiver } from "./support/otlp-receiver.ts";
import { startTracedStack } from "./support/traced-stack.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let receiver: OtlpReceiver;
let server: RunningServer;
let gateway: Gateway;
let browser: TestBrowser;

before(async () => {
  requireCommand("chromium");
  ({ receiver, server, gateway } = await startTracedStack({
    gateway: { webRoot: builtPage(repoRoot) },
  }));
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await receiver.close();
});

describe("tracing from the page", { timeout: 120_000 }, () => {
  it("links the page's traceparent to the gateway's and the server's spans", async () => {
    const sent: string[] = [];
    browser.page.on("request", (request) => {
      const traceparent = request.headers().traceparent;
      if (request.url().includes("/Teams/") && traceparent) sent.push(traceparent);
    });
    await browser.page.goto(gateway.url);
    await browser.page
      .getByRole("region", { name: "All teams" })
      .getByText(/^\d+ teams$/)
      .waitFor();
    assert.ok(sent.length > 0, "the page sent a traceparent");
    await gateway.close(); // flushes the gateway's spans
    await server.shutdown(); // and the server's

    const [, traceId, pageSpanId] = (sent[0] as string).split("-");
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const gatewaySpan = spans.find((span) => span.service === "teams-gateway");
    const serverSpan = spans.find(
      (span) => span.service === "teams-server" && span.name.startsWith("Teams/"),
    );
    assert.ok(gatewaySpan && serverSpan, JSON.stringify(receiver.spans, null, 1));
    assert.equal(gatewaySpan.parentSpanId, pageSpanId);
    assert.equal(serverSpan.parentSpanId, gatewaySpan.spanId);
    assert.equal(serverSpan.name, gatewaySpan.name);
  });
});
