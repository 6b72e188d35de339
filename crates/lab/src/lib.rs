//! The scenario lab: runs a Voximplant AvatarEngine dialog scenario (the `.js`
//! file from the control panel) in an embedded QuickJS, through the text
//! channel's hibernate-after-every-message lifecycle, and reports the state
//! it loses. Synchronous API, no async runtime: a session owns a JS runtime,
//! which is `!Send`, so callers keep each session on one thread.
//!
//! Defaults for what Voximplant leaves open are in `LabOptions` and written
//! in docs/scenario-lab.md.

pub mod check;
mod engine;
pub mod error;
mod inspect;
pub mod nlu;
pub mod options;
pub mod record;
pub mod scenario;
pub mod session;

pub use check::{CheckReport, CheckSummary, CheckTurn, Finding, FindingKind, check, evaluate};
pub use error::{ErrorKind, LabError, Location, ScriptError};
pub use nlu::Nlu;
pub use options::{Hibernation, HttpFixture, LabOptions};
pub use record::{GlobalChange, GlobalValue, HibernationRecord, Message, Reply, TimerInfo, TurnRecord};
pub use scenario::Scenario;
pub use session::Session;
