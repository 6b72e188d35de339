import type { ReplayReport } from "../bindings/ReplayReport";
import { Dialog } from "./Dialog";

/** Per-step pass/fail of a replay, with what differed. */
export function ReplayReportDialog({ report, onClose }: { report: ReplayReport; onClose: () => void }) {
  const failed = report.steps.filter((s) => !s.passed).length;
  return (
    <Dialog
      label="Replay result"
      className="replay"
      testId="replay-report"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <h2>
        Replay {failed === 0 ? "passed" : "failed"}: {report.name}
      </h2>
      <p className="muted">
        {report.steps.length - failed} passed, {failed} failed · conversation <code>{report.conversationId}</code>
      </p>
      <table className="diff">
        <tbody>
          {report.steps.map((step, i) => (
            <tr key={i} className={step.passed ? "added" : "removed"}>
              <td className="kind">{step.passed ? "pass" : "FAIL"}</td>
              <td>
                <strong>{step.utterance}</strong> → {step.response ?? <em>no reply</em>}
                {step.latencyMs !== null && <span className="muted"> ({step.latencyMs} ms)</span>}
                {step.mismatches.map((m, j) => (
                  <div key={j} className="mismatch">
                    {m.field}: expected <del>{m.expected}</del> got <ins>{m.actual}</ins>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
