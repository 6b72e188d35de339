//! Commands of the embedded simulator's panel: read and change its bots and
//! faults while it runs. A runtime without one (the CLI, the bench) answers
//! `simulator_not_running`.

use avatar_simulator::{LoggedEvent, SimConfig, SimulatorHandle};

use super::{Answer, ConsoleRuntime};
use crate::error_payload::{ErrorCode, ErrorPayload};

impl ConsoleRuntime {
    fn embedded_simulator(&self) -> Answer<&SimulatorHandle> {
        self.simulator.as_ref().ok_or_else(|| {
            ErrorPayload::new(
                ErrorCode::SimulatorNotRunning,
                "this console runs without the embedded simulator",
            )
        })
    }

    pub fn simulator_config(&self) -> Answer<SimConfig> {
        Ok(SimConfig::clone(&self.embedded_simulator()?.state.config()))
    }

    /// Replace the simulator's configuration; it keeps at least one avatar.
    pub fn set_simulator_config(&self, config: SimConfig) -> Answer<SimConfig> {
        let simulator = self.embedded_simulator()?;
        if config.avatars.is_empty() {
            return Err(ErrorPayload::new(
                ErrorCode::InvalidInput,
                "keep at least one avatar",
            ));
        }
        simulator.state.set_config(config);
        Ok(SimConfig::clone(&simulator.state.config()))
    }

    /// Forget every conversation's state (counts, ended flags).
    pub fn reset_simulator_conversations(&self) -> Answer<()> {
        self.embedded_simulator()?.state.reset_conversations();
        Ok(())
    }

    /// What the simulator saw and did after event number `since`.
    pub fn simulator_events(&self, since: u64) -> Answer<Vec<LoggedEvent>> {
        Ok(self.embedded_simulator()?.state.events_since(since))
    }
}
