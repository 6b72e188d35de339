//! Commands on files: transcript exports, test files, imports, replays and
//! bug reports. A file that cannot be read or parsed is named in the message.

use std::path::Path;

use uuid::Uuid;

use super::{Answer, ConsoleRuntime, payload};
use crate::CodedError;
use crate::error_payload::{ErrorCode, ErrorPayload};
use crate::hub::ui_view;
use crate::model::ConversationView;
use crate::transcript::{
    ReplayOptions, ReplayReport, TestFile, bug_report, export_test, export_transcript, parse_transcript,
    replay,
};

impl ConsoleRuntime {
    /// Export these panes (all open panes when `ids` is empty) to `path` (`.md` → Markdown).
    pub fn export_conversations(&self, ids: Vec<Uuid>, path: &Path) -> Answer<()> {
        let views = if ids.is_empty() {
            self.conversations()?
        } else {
            ids.into_iter()
                .map(|id| self.conversation(id))
                .collect::<Result<_, _>>()?
        };
        export_transcript(path, views).map_err(payload)
    }

    pub fn export_test_file(&self, id: Uuid, path: &Path) -> Answer<()> {
        export_test(path, &self.conversation(id)?).map_err(payload)
    }

    /// Open a transcript file as new, read-only panes.
    pub fn import_transcript(&self, path: &Path) -> Answer<Vec<ConversationView>> {
        let file = parse_transcript(&read(path)?).map_err(|e| in_file(path, e))?;
        let views = file.import_into(self.console.hub()).map_err(payload)?;
        Ok(views.iter().map(ui_view).collect())
    }

    /// Replay a test file or transcript in a new pane and report per step.
    pub async fn replay_file(&self, path: &Path) -> Answer<ReplayReport> {
        let test = TestFile::from_any(&read(path)?).map_err(|e| in_file(path, e))?;
        self.replay(&test, &ReplayOptions::default()).await
    }

    /// Replay `test` in a new pane (the CLI's `run`, with its own options).
    pub async fn replay(&self, test: &TestFile, options: &ReplayOptions) -> Answer<ReplayReport> {
        replay(self.console.hub(), test, options).await.map_err(payload)
    }

    /// Turn `seq` of a pane, written up as a bug report (Markdown).
    pub fn bug_report_for_turn(&self, id: Uuid, seq: u32) -> Answer<String> {
        bug_report(&self.conversation(id)?, seq).ok_or_else(|| {
            ErrorPayload::new(
                ErrorCode::UnknownTurn,
                format!("the conversation has no turn {seq}"),
            )
        })
    }
}

fn read(path: &Path) -> Answer<String> {
    std::fs::read_to_string(path)
        .map_err(|e| ErrorPayload::new(ErrorCode::FileUnreadable, format!("{}: {e}", path.display())))
}

/// A file's error, its path first.
fn in_file(path: &Path, e: impl CodedError) -> ErrorPayload {
    ErrorPayload::new(e.code(), format!("{}: {e}", path.display()))
}
