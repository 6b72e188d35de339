//! One conversation with a scenario through the text-channel lifecycle:
//! fresh runtime → evaluate → `onWakeup(saved)` → restore what the engine
//! keeps → event → handler → apply the response → `onHibernate` → keep the
//! blob → drop the runtime (or keep it, per `Hibernation`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::engine::{Blob, Engine, FormStep, ScenarioInfo};
use crate::error::{ErrorKind, ScriptError};
use crate::nlu::Nlu;
use crate::options::{Hibernation, LabOptions};
use crate::record::{GlobalChange, GlobalValue, HibernationRecord, Message, Reply, TurnRecord};
use crate::scenario::Scenario;

/// What the engine (not the scenario) keeps between messages.
#[derive(Debug, Clone, Default)]
struct EngineState {
    started: bool,
    current: Option<String>,
    utterance_counter: u64,
    visits: BTreeMap<String, u64>,
}

pub struct Session {
    scenario: Arc<Scenario>,
    version: u64,
    opts: LabOptions,
    nlu: Arc<Nlu>,
    live: Option<Engine>,
    /// A fresh runtime with the scenario already evaluated, made ahead of the next message.
    prepared: Option<Engine>,
    saved: Option<Blob>,
    state: EngineState,
    finished: bool,
    last_at: Option<Instant>,
    first_at: Option<Instant>,
    epoch_ms: f64,
    globals_at_end: Option<BTreeMap<String, GlobalValue>>,
    turns: usize,
    /// Errors of the hibernation a reload ran, shown on the next turn.
    reload_errors: Vec<ScriptError>,
}

impl Session {
    pub fn new(scenario: Arc<Scenario>, nlu: Arc<Nlu>, opts: LabOptions) -> Self {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        Self {
            scenario,
            version: 0,
            opts,
            nlu,
            live: None,
            prepared: None,
            saved: None,
            state: EngineState::default(),
            finished: false,
            last_at: None,
            first_at: None,
            epoch_ms,
            globals_at_end: None,
            turns: 0,
            reload_errors: Vec::new(),
        }
    }

    /// Swaps in a new version of the scenario file; the next message
    /// evaluates it in a fresh runtime, woken with the last blob.
    pub fn reload(&mut self, scenario: Arc<Scenario>) {
        // A live session hibernates with the old code so the new one wakes with its state.
        if let Some(engine) = self.live.take() {
            let mut rec = TurnRecord::new(self.turns, "");
            self.hibernate(engine, &mut rec);
            self.reload_errors = rec.errors;
        }
        self.scenario = scenario;
        self.version += 1;
        self.prepared = None;
    }

    /// Evaluates the scenario in the fresh runtime the next message will
    /// wake, so that message pays only for wake-up, turn and hibernation.
    /// The simulator calls it between messages. What differs from waking at
    /// the message: the scenario's top-level code sees no customData.
    pub fn prepare(&mut self) {
        if self.live.is_none() && self.prepared.is_none() && !self.finished {
            self.prepared = Engine::start(&self.scenario, &self.opts).ok();
        }
    }

    pub fn set_nlu(&mut self, nlu: Arc<Nlu>) {
        self.nlu = nlu;
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn handle(&mut self, message: &Message) -> TurnRecord {
        self.handle_at(message, Instant::now())
    }

    /// One customer message arriving at `now` (tests pass their own instants
    /// to exercise the idle mode without waiting).
    pub fn handle_at(&mut self, message: &Message, now: Instant) -> TurnRecord {
        let understood = self.nlu.understand(&message.text, message.intent.as_deref());
        let mut rec = TurnRecord::new(self.turns, &message.text);
        rec.intent = understood.intent.clone();
        rec.scenario_version = self.version;
        rec.errors.append(&mut self.reload_errors);
        self.turns += 1;
        if self.finished {
            rec.errors.push(ScriptError::api(
                "send",
                "the conversation has ended (isFinal); the avatar takes no more input",
            ));
            return rec;
        }
        let first_at = *self.first_at.get_or_insert(now);
        if let (Hibernation::AfterIdle { idle }, Some(last)) = (self.opts.hibernation, self.last_at)
            && now.duration_since(last) >= idle
            && let Some(engine) = self.live.take()
        {
            self.hibernate(engine, &mut rec);
        }
        self.last_at = Some(now);
        let clock = now.duration_since(first_at).as_secs_f64() * 1000.0;
        let engine = match self.live.take() {
            Some(engine) => engine,
            None => match self.wake(&message.custom_data, clock, &mut rec) {
                Some(engine) => engine,
                None => return rec,
            },
        };
        engine.set_turn(&message.custom_data, clock, self.epoch_ms);
        let info = match engine.info() {
            Ok(info) => info,
            Err(e) => {
                rec.errors.push(e);
                return rec;
            }
        };
        rec.state_before = self.state.current.clone();
        self.converse(&engine, &info, &understood, &mut rec);
        rec.state_after = self.state.current.clone();
        rec.logs.extend(engine.take_logs());
        rec.globals = engine.snapshot(&self.scenario.top_level);
        self.globals_at_end = Some(rec.globals.clone());

        let fatal = rec.errors.iter().any(|e| e.kind == ErrorKind::OutOfMemory);
        match self.opts.hibernation {
            Hibernation::EveryMessage => self.hibernate(engine, &mut rec),
            // After running out of memory the heap may be full of the
            // scenario's garbage: start the next message from a fresh runtime.
            _ if fatal => drop(engine),
            _ => self.live = Some(engine),
        }
        rec
    }

    /// A fresh runtime woken with the saved blob.
    fn wake(&mut self, custom_data: &Value, clock: f64, rec: &mut TurnRecord) -> Option<Engine> {
        rec.woke = true;
        let started = match self.prepared.take() {
            Some(engine) => Ok(engine),
            None => Engine::start(&self.scenario, &self.opts),
        };
        let engine = match started {
            Ok(engine) => engine,
            Err(e) => {
                rec.errors.push(e);
                return None;
            }
        };
        engine.set_turn(custom_data, clock, self.epoch_ms);
        let info = match engine.info() {
            Ok(info) => info,
            Err(e) => {
                rec.errors.push(e);
                return None;
            }
        };
        if let (Some(blob), true) = (&self.saved, info.wakeup)
            && let Err(e) = engine.wakeup(blob)
        {
            rec.errors.push(e);
        }
        if !self.opts.engine_keeps_state {
            self.state = EngineState::default();
        }
        if let Some(before) = &self.globals_at_end {
            rec.globals_diff = diff(before, &engine.snapshot(&self.scenario.top_level));
        }
        // Top-level Logger.write lines of the evaluation belong to this turn.
        rec.logs = engine.take_logs();
        Some(engine)
    }

    /// Runs `onHibernate`, keeps its value, and drops the runtime.
    fn hibernate(&mut self, engine: Engine, rec: &mut TurnRecord) {
        let info = engine.info().ok();
        let timers_lost = engine.timers_alive();
        let has_hibernate = info.as_ref().is_some_and(|i| i.hibernate);
        let has_wakeup = info.as_ref().is_some_and(|i| i.wakeup);
        let mut problem = None;
        // A hook that is missing, returns nothing or fails keeps nothing.
        self.saved = None;
        if has_hibernate {
            match engine.hibernate() {
                Ok((blob, why)) => {
                    self.saved = blob;
                    problem = why;
                }
                Err(e) => rec.errors.push(e),
            }
        }
        rec.logs.extend(engine.take_logs());
        rec.hibernation = Some(HibernationRecord {
            blob: self.saved.as_ref().map(|b| b.text.clone()),
            blob_is_object: self.saved.as_ref().is_some_and(|b| b.object),
            blob_bytes: self.saved.as_ref().map_or(0, |b| b.text.len()),
            problem,
            timers_lost,
            has_hibernate,
            has_wakeup,
        });
    }

    /// Runs a state's hook with `event`; the normalised response, if any.
    fn hook(
        &self,
        engine: &Engine,
        state: &str,
        hook: &str,
        event: Value,
        rec: &mut TurnRecord,
    ) -> Option<Value> {
        if !engine.has_handler(state, hook) {
            return None;
        }
        let label = format!("{hook}('{state}')");
        match engine.state_hook(state, hook, &event, &label) {
            Ok(response) => response,
            Err(e) => {
                rec.errors.push(e);
                None
            }
        }
    }

    fn converse(
        &mut self,
        engine: &Engine,
        info: &ScenarioInfo,
        understood: &crate::nlu::Understanding,
        rec: &mut TurnRecord,
    ) {
        if !self.state.started {
            self.state.started = true;
            let Some(start) = info.start_state.clone() else {
                rec.errors.push(ScriptError::api(
                    "start",
                    "the scenario adds no state (call addState)",
                ));
                return;
            };
            self.state.current = Some(start.clone());
            self.state.utterance_counter = 0;
            let visits = self.visit(&start);
            if self.opts.enter_start_on_first_message {
                let event =
                    json!({ "nextState": start, "previousState": Value::Null, "visitsCounter": visits });
                if let Some(r) = self.hook(engine, &start, "onEnter", event, rec) {
                    self.apply(engine, info, r, rec, 0);
                }
            }
            if self.finished {
                return;
            }
        }
        let Some(current) = self.state.current.clone() else {
            return;
        };
        if !info.states.contains(&current) {
            rec.errors.push(ScriptError::api(
                "onUtterance",
                format!("the current state '{current}' no longer exists in the scenario"),
            ));
            return;
        }
        self.state.utterance_counter += 1;
        let event = json!({
            "text": understood.text,
            "intent": understood.intent,
            "intents": understood.intents,
            "confidence": understood.confidence,
            "entities": understood.entities,
            "response": understood.response,
            "currentState": current,
            "utteranceCounter": self.state.utterance_counter,
            "visitsCounter": self.state.visits.get(&current).copied().unwrap_or(0),
        });
        let mut hook = "onUtterance".to_string();
        if engine.is_form(&current) {
            match engine.form_step(&current, &event) {
                Ok(FormStep::Prompt(prompt)) => {
                    rec.replies.push(Reply {
                        response: prompt,
                        is_final: false,
                        custom_data: Value::Null,
                    });
                    return;
                }
                Ok(FormStep::Hook(h)) => hook = h,
                Err(e) => rec.errors.push(e),
            }
        }
        if let Some(r) = self.hook(engine, &current, &hook, event, rec) {
            self.apply(engine, info, r, rec, 0);
        }
    }

    fn visit(&mut self, state: &str) -> u64 {
        let v = self.state.visits.entry(state.to_string()).or_insert(0);
        *v += 1;
        *v
    }

    /// Applies one response: its reply, `isFinal`, then `nextState`.
    fn apply(
        &mut self,
        engine: &Engine,
        info: &ScenarioInfo,
        response: Value,
        rec: &mut TurnRecord,
        depth: usize,
    ) {
        let custom_data = response.get("customData").cloned().unwrap_or(Value::Null);
        if response.get("isFinal").and_then(Value::as_bool).unwrap_or(false) {
            // isFinal ignores everything but customData.
            rec.replies.push(Reply {
                response: String::new(),
                is_final: true,
                custom_data,
            });
            self.finished = true;
            return;
        }
        let utterance = match response.get("utterance") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        if !utterance.is_empty() || !custom_data.is_null() {
            rec.replies.push(Reply {
                response: utterance,
                is_final: false,
                custom_data,
            });
        }
        let Some(next) = response
            .get("nextState")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        if !info.states.contains(&next) {
            rec.errors.push(ScriptError::api(
                "nextState",
                format!(
                    "nextState '{next}' is not a state (states: {})",
                    info.states.join(", ")
                ),
            ));
            return;
        }
        if depth >= self.opts.max_transitions {
            rec.errors.push(ScriptError::api(
                "nextState",
                format!(
                    "more than {} state changes in one turn",
                    self.opts.max_transitions
                ),
            ));
            return;
        }
        let previous = self.state.current.clone().unwrap_or_default();
        let exit = json!({ "nextState": next, "previousState": previous, "visitsCounter": self.state.visits.get(&previous).copied().unwrap_or(0) });
        // beforeExit's return value is not a response.
        let _ = self.hook(engine, &previous, "beforeExit", exit, rec);
        self.state.current = Some(next.clone());
        self.state.utterance_counter = 0;
        let visits = self.visit(&next);
        let enter = json!({ "nextState": next, "previousState": previous, "visitsCounter": visits });
        if let Some(r) = self.hook(engine, &next, "onEnter", enter, rec) {
            self.apply(engine, info, r, rec, depth + 1);
        }
    }
}

fn diff(before: &BTreeMap<String, GlobalValue>, after: &BTreeMap<String, GlobalValue>) -> Vec<GlobalChange> {
    before
        .iter()
        .filter_map(|(name, b)| {
            let a = after.get(name);
            (a.map(|a| &a.repr) != Some(&b.repr)).then(|| GlobalChange {
                name: name.clone(),
                before: b.repr.clone(),
                after: a.map(|a| a.repr.clone()),
                kind: b.kind.clone(),
            })
        })
        .collect()
}
