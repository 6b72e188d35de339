//! Writing exports to a file the user picked.

use std::path::Path;

use super::{TestFile, TranscriptFile, to_markdown};
use crate::error_payload::{CodedError, ErrorCode};
use crate::model::ConversationView;

#[derive(Debug, thiserror::Error)]
#[error("could not write {path}: {source}")]
pub struct ExportError {
    path: String,
    source: std::io::Error,
}

impl CodedError for ExportError {
    fn code(&self) -> ErrorCode {
        ErrorCode::ExportFailed
    }
}

fn write(path: &Path, text: &str) -> Result<(), ExportError> {
    std::fs::write(path, text).map_err(|source| ExportError {
        path: path.display().to_string(),
        source,
    })
}

/// A transcript of `conversations`: Markdown when the file name ends in `.md`, else JSON.
pub fn export_transcript(path: &Path, conversations: Vec<ConversationView>) -> Result<(), ExportError> {
    let file = TranscriptFile::new(conversations);
    let markdown = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    write(
        path,
        &if markdown {
            to_markdown(&file)
        } else {
            file.to_json()
        },
    )
}

/// An editable test file that expects what `conversation` recorded.
pub fn export_test(path: &Path, conversation: &ConversationView) -> Result<(), ExportError> {
    let file = TranscriptFile::new(vec![conversation.clone()]);
    let redacted = file.conversations.first().unwrap_or(conversation);
    write(path, &TestFile::from_recording(redacted).to_json())
}
