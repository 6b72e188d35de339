//! JUnit XML for CI systems: one test suite per replay, one case per step.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::ReplayReport;

pub fn junit_xml(reports: &[ReplayReport]) -> String {
    let mut report = Report::new("avatar-replay");
    for replay in reports {
        let mut suite = TestSuite::new(replay.name.clone());
        for (i, step) in replay.steps.iter().enumerate() {
            let status = if step.passed {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let detail = step
                    .mismatches
                    .iter()
                    .map(|m| format!("{}: expected {}, got {}", m.field, m.expected, m.actual))
                    .collect::<Vec<_>>()
                    .join("\n");
                status.set_message(detail.lines().next().unwrap_or("failed").to_owned());
                status.set_description(detail);
                status
            };
            let mut case = TestCase::new(format!("step {}: {}", i + 1, step.utterance), status);
            case.set_classname(replay.name.clone());
            if let Some(ms) = step.latency_ms {
                case.set_time(Duration::from_millis(u64::try_from(ms).unwrap_or(0)));
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}
