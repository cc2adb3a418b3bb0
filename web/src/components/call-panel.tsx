import type { CallRecord } from "../teams-api/recorded-teams-api.ts";

interface CallPanelProps {
  calls: readonly CallRecord[];
}

/** The gRPC-Web calls this page made, newest first: what a learner would dig out of DevTools. */
export function CallPanel({ calls }: CallPanelProps) {
  return (
    <section className="card calls" aria-labelledby="calls-heading">
      <div className="card-heading">
        <h2 id="calls-heading">gRPC-Web calls</h2>
        <p className="muted">{calls.length === 1 ? "1 call" : `${calls.length} calls`}</p>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it (WCAG 2.1.1; axe scrollable-region-focusable). */}
      <section className="calls-scroll" aria-label="Call log" tabIndex={0}>
        <table className="calls-table" aria-labelledby="calls-heading">
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Messages
              </th>
              <th scope="col" className="numeric">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr key={call.id}>
                <td>
                  <code>{call.method}</code>
                </td>
                <td className="calls-request">
                  {call.request}
                  {call.lastMessage ? (
                    <span className="calls-last">last: {call.lastMessage}</span>
                  ) : null}
                </td>
                <td>
                  <span className={`badge badge-${badgeKind(call.status)}`}>{call.status}</span>
                  {call.cancelReason ? (
                    <span className="calls-reason"> ({call.cancelReason})</span>
                  ) : null}
                </td>
                <td className="numeric">{call.messages}</td>
                <td className="numeric">
                  {call.durationMs === undefined ? "…" : `${Math.round(call.durationMs)} ms`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {calls.length === 0 ? <p className="muted calls-empty">No calls yet.</p> : null}
      </section>
    </section>
  );
}

function badgeKind(status: string): "ok" | "pending" | "cancelled" | "error" {
  if (status === "OK") return "ok";
  if (status === "pending") return "pending";
  // Cancelled is the page's own doing (a newer keystroke, "stale"), not a failure.
  if (status === "CANCELLED") return "cancelled";
  return "error";
}
