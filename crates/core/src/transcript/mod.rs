//! Saved conversations: versioned JSON transcripts, readable Markdown, test
//! files with expectations, and replaying a test against any avatar.

mod bug_report;
mod expect;
mod export;
mod file;
mod junit;
mod markdown;
mod replay;
mod test_file;

pub use bug_report::bug_report;
pub use expect::{CustomDataExpectation, Mismatch, ResponseExpectation};
pub use export::{ExportError, export_test, export_transcript};
pub use file::{
    TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, TranscriptError, TranscriptFile, parse_transcript,
    redact_callback_uri,
};
pub use junit::junit_xml;
pub use markdown::to_markdown;
pub use replay::{ReplayOptions, ReplayReport, StepReport, replay};
pub use test_file::{Expectation, TEST_FORMAT, TEST_VERSION, TestFile, TestStep, parse_test};
