import { useEffect, useState } from "react";
import { backend, errorMessage } from "../backend";
import type { About } from "../bindings/About";
import { Dialog } from "./Dialog";

/** Version, commit and folders: what a bug report needs, and the way to the logs. */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [about, setAbout] = useState<About | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backend.about().then(setAbout, (e: unknown) => setError(errorMessage(e)));
  }, []);

  const openLogs = () => {
    setError(null);
    backend.openLogsFolder().catch((e: unknown) => setError(errorMessage(e)));
  };

  return (
    <Dialog
      label="About Avatar Console"
      className="about"
      testId="about-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="secondary" onClick={openLogs} data-testid="open-logs-folder">
            Open logs folder
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <h2>Avatar Console</h2>
      {about && (
        <table>
          <tbody>
            <tr>
              <td>Version</td>
              <td data-testid="about-version">{about.version}</td>
            </tr>
            <tr>
              <td>Commit</td>
              <td>
                <code data-testid="about-commit">{about.commit}</code>
              </td>
            </tr>
            <tr>
              <td>Data folder</td>
              <td>
                <code data-testid="about-data-dir">{about.dataDir}</code>
              </td>
            </tr>
            <tr>
              <td>Log folder</td>
              <td>
                <code data-testid="about-log-dir">{about.logDir}</code>
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
