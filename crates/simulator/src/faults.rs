//! Fault injection: the ways a real avatar (or the network in front of it)
//! misbehaves, so the console's handling of each can be seen and tested.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One set of faults. All off by default; see `SimConfig::faults_for` for
/// which set applies to a conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, rename = "SimFaults")]
pub struct FaultConfig {
    /// Extra delay before each reply, in milliseconds.
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// Random extra delay on top of `latency_ms`, uniformly 0..=jitter.
    #[ts(type = "number")]
    pub jitter_ms: u64,
    /// Status the send endpoint answers when a 5xx fault fires (default 503).
    pub error_status: Option<u16>,
    /// Percentage (0–100) of sends answered with `error_status`.
    pub error_percent: u8,
    /// The first N sends of each conversation are answered with `error_status`.
    pub error_first_n: u32,
    /// Every callback is POSTed twice.
    pub duplicate: bool,
    /// The callbacks of a burst (all utterances waiting when the avatar
    /// wakes, and all callbacks of each) are delivered in reverse order.
    pub out_of_order: bool,
    /// The callback body is cut off mid-JSON.
    pub malformed: bool,
    /// A non-final "typing…" callback precedes every answer.
    pub typing: bool,
    /// No callback at all (the utterance is still accepted and answered by
    /// the bot, whose state advances).
    pub drop_callbacks: bool,
    /// The callback carries another conversation's id.
    pub wrong_conversation_id: bool,
}

/// The text of the "typing" callback.
pub const TYPING_TEXT: &str = "typing…";

impl FaultConfig {
    /// Latency plus a random share of the jitter.
    pub fn delay(&self) -> Duration {
        let jitter = if self.jitter_ms == 0 {
            0
        } else {
            fastrand::u64(0..=self.jitter_ms)
        };
        Duration::from_millis(self.latency_ms.saturating_add(jitter))
    }

    /// Whether the send with this 0-based index in its conversation fails,
    /// and with which status.
    pub fn send_error(&self, index: u32) -> Option<u16> {
        let status = self.error_status.unwrap_or(503);
        if index < self.error_first_n {
            return Some(status);
        }
        let percent = self.error_percent.min(100);
        if percent > 0 && fastrand::u8(0..100) < percent {
            return Some(status);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_n_sends_fail_then_succeed() {
        let faults = FaultConfig {
            error_first_n: 2,
            error_status: Some(502),
            ..FaultConfig::default()
        };
        assert_eq!(faults.send_error(0), Some(502));
        assert_eq!(faults.send_error(1), Some(502));
        assert_eq!(faults.send_error(2), None);
    }

    #[test]
    fn percentage_zero_and_hundred_are_exact() {
        let always = FaultConfig {
            error_percent: 100,
            ..FaultConfig::default()
        };
        let never = FaultConfig::default();
        for i in 0..200 {
            assert_eq!(always.send_error(i), Some(503));
            assert_eq!(never.send_error(i), None);
        }
    }

    #[test]
    fn percentage_fails_about_that_share() {
        let half = FaultConfig {
            error_percent: 50,
            ..FaultConfig::default()
        };
        let failed = (0..2000).filter(|&i| half.send_error(i).is_some()).count();
        // Binomial(2000, 0.5): 800..1200 is more than 8 standard deviations wide.
        assert!((800..1200).contains(&failed), "{failed} of 2000 failed");
    }

    #[test]
    fn jitter_spreads_over_its_whole_range() {
        let faults = FaultConfig {
            latency_ms: 10,
            jitter_ms: 200,
            ..FaultConfig::default()
        };
        let delays: Vec<u128> = (0..1000).map(|_| faults.delay().as_millis()).collect();
        let (min, max) = (delays.iter().min(), delays.iter().max());
        // Uniform over 201 values: 1,000 draws all missing the lowest (or
        // highest) 20 has a chance of (181/201)^1000, about 1e-46.
        assert!(min.is_some_and(|m| (10..30).contains(m)), "lowest {min:?}");
        assert!(max.is_some_and(|m| (191..=210).contains(m)), "highest {max:?}");
        let mut distinct = delays.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 100, "{} distinct delays", distinct.len());
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let faults = FaultConfig {
            latency_ms: 10,
            jitter_ms: 5,
            ..FaultConfig::default()
        };
        for _ in 0..100 {
            let d = faults.delay().as_millis();
            assert!((10..=15).contains(&d), "{d}");
        }
    }
}
