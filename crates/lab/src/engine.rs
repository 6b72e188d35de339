//! One JS session: a fresh QuickJS runtime and context with the AvatarEngine
//! globals and the scenario evaluated, under the lab's limits. Every callback
//! into the scenario goes through `settle`, which arms the time limit, starts
//! the callback, drains the promise job queue and fires virtual-clock timers
//! until the callback's promise settles.
//!
//! Per-message cost matters (every message is a fresh context when
//! hibernating): the JS parsed for each context is only `js/core.js`; other
//! globals load on first use, and Logger, getCustomData and the inspection of
//! values are native.

use std::cell::Cell;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::function::{IntoArgs, Rest};
use rquickjs::object::{Filter, Property};
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Object, Runtime, Value};
use serde_json::Value as Json;

use crate::error::{ErrorKind, ScriptError, location_in_stack};
use crate::inspect::{self, Builtins};
use crate::options::LabOptions;
use crate::record::{GlobalValue, TimerInfo};
use crate::scenario::Scenario;

/// The global through which Rust reaches the lab's JS helpers (`js/core.js`).
const LAB_GLOBAL: &str = "__lab";
const CORE: &str = include_str!("js/core.js");

fn chunk(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "util" => Some((include_str!("js/util.js"), "avatarengine-util.js")),
        "http" => Some((include_str!("js/http.js"), "avatarengine-http.js")),
        "names" => Some((include_str!("js/names.js"), "avatarengine-names.js")),
        "form" => Some((include_str!("js/form.js"), "avatarengine-form.js")),
        _ => None,
    }
}

/// The scenario's own bookkeeping the lab reads after a callback.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScenarioInfo {
    pub start_state: Option<String>,
    pub states: Vec<String>,
    pub hibernate: bool,
    pub wakeup: bool,
}

/// What the hibernate callback returned, as the platform keeps it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Blob {
    pub text: String,
    /// The callback returned an object (kept as its JSON); else a string.
    pub object: bool,
}

/// What a form state does with a message.
pub(crate) enum FormStep {
    Hook(String),
    Prompt(String),
}

/// Rust-side state the native globals share.
#[derive(Default)]
struct Host {
    logs: RefCell<Vec<String>>,
    custom_data: RefCell<String>,
    fixtures: BTreeMap<String, String>,
}

pub(crate) struct Engine {
    // Field order matters: the context must drop before its runtime.
    ctx: Context,
    rt: Runtime,
    host: Rc<Host>,
    deadline: Rc<Cell<Option<Instant>>>,
    timed_out: Rc<Cell<bool>>,
    baseline: BTreeSet<String>,
    file: String,
    timeout: Duration,
}

const RESPONSE_KEYS: [&str; 9] = [
    "utterance",
    "nextState",
    "listen",
    "listenTimeout",
    "isFinal",
    "customData",
    "channelParameters",
    "nluHint",
    "currentState",
];

impl Engine {
    /// A fresh runtime with the globals and the scenario evaluated.
    pub fn start(scenario: &Scenario, opts: &LabOptions) -> Result<Self, ScriptError> {
        let engine_err =
            |e: rquickjs::Error| ScriptError::api("start", format!("the JS engine could not start: {e}"));
        let rt = Runtime::new().map_err(engine_err)?;
        rt.set_memory_limit(opts.memory_limit);
        rt.set_max_stack_size(opts.max_stack);
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let timed_out = Rc::new(Cell::new(false));
        {
            let deadline = deadline.clone();
            let timed_out = timed_out.clone();
            rt.set_interrupt_handler(Some(Box::new(move || match deadline.get() {
                Some(at) if Instant::now() >= at => {
                    timed_out.set(true);
                    true
                }
                _ => false,
            })));
        }
        let ctx = Context::full(&rt).map_err(engine_err)?;
        let host = Rc::new(Host {
            fixtures: opts
                .http_fixtures
                .iter()
                .map(|(url, f)| {
                    (
                        url.clone(),
                        serde_json::to_string(f).unwrap_or_else(|_| "{}".into()),
                    )
                })
                .collect(),
            ..Host::default()
        });
        let mut engine = Self {
            ctx,
            rt,
            host,
            deadline,
            timed_out,
            baseline: BTreeSet::new(),
            file: scenario.file.clone(),
            timeout: opts.callback_timeout,
        };
        engine
            .install()
            .map_err(|e| ScriptError::api("setup", format!("the lab's globals failed: {e}")))?;
        engine.eval(CORE, "avatarengine-core.js", "setup")?;
        engine.baseline = engine.ctx.with(|ctx| {
            ctx.globals()
                .own_keys::<String>(Filter::new().string())
                .flatten()
                .collect()
        });
        engine.eval(&scenario.source, &scenario.file, "evaluate")?;
        Ok(engine)
    }

    /// The native globals and the hidden `__lab` object core.js fills in.
    fn install(&self) -> rquickjs::Result<()> {
        self.ctx.with(|ctx| install(&ctx, &self.host))
    }

    fn eval(&self, source: &str, file: &str, callback: &str) -> Result<(), ScriptError> {
        self.arm();
        let result = self.ctx.with(|ctx| {
            let mut options = EvalOptions::default();
            // Scenarios are sloppy-mode scripts: they may assign undeclared globals.
            options.strict = false;
            options.global = true;
            options.filename = Some(file.to_string());
            ctx.eval_with_options::<(), _>(source, options)
                .catch(&ctx)
                .map_err(|e| self.convert(e, callback, false))
        });
        let drained = result.and_then(|()| self.run_jobs(callback));
        self.disarm();
        drained
    }

    fn arm(&self) {
        self.timed_out.set(false);
        self.deadline.set(Some(Instant::now() + self.timeout));
    }

    fn disarm(&self) {
        self.deadline.set(None);
    }

    /// Calls `__lab[name](args)` inside the context.
    fn lab_call<A, R>(&self, name: &str, args: A, callback: &str) -> Result<R, ScriptError>
    where
        A: for<'js> IntoArgs<'js>,
        R: for<'js> rquickjs::FromJs<'js>,
    {
        self.ctx.with(|ctx| {
            let run = || -> rquickjs::Result<R> {
                let lab: Object = ctx.globals().get(LAB_GLOBAL)?;
                let f: Function = lab.get(name)?;
                f.call::<A, R>(args)
            };
            run().catch(&ctx).map_err(|e| self.convert(e, callback, false))
        })
    }

    /// `__lab[name]()` as serde JSON.
    fn lab_json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.ctx.with(|ctx| {
            let lab: Object = ctx.globals().get(LAB_GLOBAL).ok()?;
            let f: Function = lab.get(name).ok()?;
            let v: Value = f.call(()).catch(&ctx).ok()?;
            serde_json::from_str(&inspect::json(&ctx, v)?).ok()
        })
    }

    pub fn info(&self) -> Result<ScenarioInfo, ScriptError> {
        self.lab_json("info")
            .ok_or_else(|| ScriptError::api("info", "the scenario's states cannot be read"))
    }

    pub fn has_handler(&self, state: &str, hook: &str) -> bool {
        self.lab_call::<_, bool>("hasHandler", (state, hook), hook)
            .unwrap_or(false)
    }

    pub fn is_form(&self, state: &str) -> bool {
        self.lab_call::<_, bool>("isForm", (state,), "form")
            .unwrap_or(false)
    }

    /// Sets what this message's callbacks see: customData, the virtual clock.
    pub fn set_turn(&self, custom_data: &Json, clock_ms: f64, epoch_ms: f64) {
        *self.host.custom_data.borrow_mut() = if custom_data.is_null() {
            String::new()
        } else {
            custom_data.to_string()
        };
        self.ctx.with(|ctx| {
            if let Ok(lab) = ctx.globals().get::<_, Object>(LAB_GLOBAL) {
                let clock: f64 = lab.get("clock").unwrap_or(0.0);
                let _ = lab.set("clock", clock.max(clock_ms));
                let _ = lab.set("epoch", epoch_ms);
            }
        });
    }

    pub fn take_logs(&self) -> Vec<String> {
        std::mem::take(&mut *self.host.logs.borrow_mut())
    }

    pub fn timers_alive(&self) -> Vec<TimerInfo> {
        self.lab_json("timersAlive").unwrap_or_default()
    }

    /// Runs the job queue dry under the current deadline.
    fn run_jobs(&self, callback: &str) -> Result<(), ScriptError> {
        loop {
            match self.rt.execute_pending_job() {
                Ok(true) => continue,
                Ok(false) => return Ok(()),
                Err(job) => {
                    return Err(job.0.with(|ctx| {
                        let value = ctx.catch();
                        let caught = match rquickjs::Exception::from_value(value.clone()) {
                            Ok(ex) => CaughtError::Exception(ex),
                            Err(_) => CaughtError::Value(value),
                        };
                        self.convert(caught, callback, false)
                    }));
                }
            }
        }
    }

    /// Starts a callback with `start(ctx, lab)`, then runs jobs and timers
    /// until its promise settles, all within one callback's time limit.
    fn settle<F>(&self, label: &str, start: F) -> Result<(), ScriptError>
    where
        F: for<'js> FnOnce(&Ctx<'js>, &Object<'js>) -> rquickjs::Result<()>,
    {
        self.arm();
        let outcome = (|| {
            self.ctx.with(|ctx| {
                let lab = self.lab_object(&ctx, label)?;
                start(&ctx, &lab)
                    .catch(&ctx)
                    .map_err(|e| self.convert(e, label, false))
            })?;
            loop {
                self.run_jobs(label)?;
                if self.lab_call::<_, bool>("slotDone", (), label).unwrap_or(true) {
                    return Ok(());
                }
                // Nothing runnable is left: the virtual clock jumps to the next timer.
                if !self.lab_call::<_, bool>("fireNextTimer", (), label)? {
                    return Err(ScriptError {
                        kind: ErrorKind::NeverSettled,
                        callback: label.to_string(),
                        message: "the callback's promise never settled (no job or timer left to run)".into(),
                        location: None,
                    });
                }
            }
        })();
        self.disarm();
        outcome
    }

    /// The settled slot: `Ok(value as JSON text or None for undefined)` or the error.
    fn take_slot<T>(
        &self,
        label: &str,
        read: impl for<'js> FnOnce(&Ctx<'js>, Value<'js>) -> Result<T, ScriptError>,
    ) -> Result<T, ScriptError> {
        self.ctx.with(|ctx| {
            let lab = self.lab_object(&ctx, label)?;
            let slot: Object = lab
                .get("slot")
                .catch(&ctx)
                .map_err(|e| self.convert(e, label, false))?;
            let _ = lab.set("slot", Value::new_null(ctx.clone()));
            if slot.contains_key("error").unwrap_or(false) {
                let rejected: bool = slot.get("rejected").unwrap_or(false);
                let error: Value = slot
                    .get("error")
                    .unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
                let caught = match rquickjs::Exception::from_value(error.clone()) {
                    Ok(ex) => CaughtError::Exception(ex),
                    Err(_) => CaughtError::Value(error),
                };
                return Err(self.convert(caught, label, rejected));
            }
            let value: Value = slot
                .get("value")
                .unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
            read(&ctx, value)
        })
    }

    /// Runs `hook` of `state` with `event`; its response, normalised.
    pub fn state_hook(
        &self,
        state: &str,
        hook: &str,
        event: &Json,
        label: &str,
    ) -> Result<Option<Json>, ScriptError> {
        let event = event.to_string();
        self.settle(label, |ctx, lab| {
            let ev = ctx.json_parse(event)?;
            lab.get::<_, Function>("invokeState")?
                .call::<_, ()>((state, hook, ev))
        })?;
        self.take_slot(label, |ctx, v| normalise_response(ctx, v, label))
    }

    pub fn wakeup(&self, blob: &Blob) -> Result<(), ScriptError> {
        self.settle("onWakeup", |ctx, lab| {
            // The wake-up callback gets exactly what the hibernate callback returned.
            let saved = if blob.object {
                ctx.json_parse(blob.text.clone())?
            } else {
                rquickjs::String::from_str(ctx.clone(), &blob.text)?.into_value()
            };
            lab.get::<_, Function>("invokeWakeup")?.call::<_, ()>((saved,))
        })?;
        self.take_slot("onWakeup", |_, _| Ok(()))
    }

    /// Runs `onHibernate`: the blob to keep (if any) and where it does not survive JSON.
    pub fn hibernate(&self) -> Result<(Option<Blob>, Option<String>), ScriptError> {
        self.settle("onHibernate", |_, lab| {
            lab.get::<_, Function>("invokeHibernate")?.call::<_, ()>(())
        })?;
        self.take_slot("onHibernate", |ctx, v| {
            if let Some(s) = v.as_string() {
                let text = s.to_string().unwrap_or_default();
                return Ok((Some(Blob { text, object: false }), None));
            }
            if v.is_undefined() || v.is_null() {
                return Ok((None, None));
            }
            let builtins = Builtins::new(ctx);
            let problem = inspect::json_problem(&builtins, &v, "", 0);
            match ctx.json_stringify(v).catch(ctx) {
                Ok(Some(s)) => Ok((
                    Some(Blob {
                        text: s.to_string().unwrap_or_default(),
                        object: true,
                    }),
                    problem,
                )),
                Ok(None) => Ok((
                    None,
                    Some("the hibernate callback returned a value JSON cannot write".into()),
                )),
                Err(e) => Err(self.convert(e, "onHibernate", false)),
            }
        })
    }

    pub fn form_step(&self, state: &str, event: &Json) -> Result<FormStep, ScriptError> {
        let event = event.to_string();
        self.ctx.with(|ctx| {
            let run = || -> rquickjs::Result<(Option<String>, Option<String>)> {
                let lab: Object = ctx.globals().get(LAB_GLOBAL)?;
                let step: Object = lab
                    .get::<_, Function>("formStep")?
                    .call((state, ctx.json_parse(event)?))?;
                Ok((step.get("hook")?, step.get("prompt")?))
            };
            match run().catch(&ctx).map_err(|e| self.convert(e, "form", false))? {
                (_, Some(prompt)) => Ok(FormStep::Prompt(prompt)),
                (hook, None) => Ok(FormStep::Hook(hook.unwrap_or_else(|| "onUtterance".into()))),
            }
        })
    }

    /// The scenario's globals: `names` (its top-level declarations) and
    /// every `globalThis` property it added.
    pub fn snapshot(&self, names: &[String]) -> BTreeMap<String, GlobalValue> {
        self.ctx.with(|ctx| {
            let builtins = Builtins::new(&ctx);
            let g = ctx.globals();
            let mut out = BTreeMap::new();
            for key in g.own_keys::<String>(Filter::new().string()).flatten() {
                if !self.baseline.contains(&key)
                    && let Ok(v) = g.get::<_, Value>(key.as_str())
                {
                    out.insert(key, inspect::describe(&ctx, &builtins, &v));
                }
            }
            for name in names {
                if out.contains_key(name) {
                    continue;
                }
                // Top-level let/const are not globalThis properties: read them by name.
                if let Ok(v) = ctx.eval::<Value, _>(name.as_str()).catch(&ctx) {
                    out.insert(name.clone(), inspect::describe(&ctx, &builtins, &v));
                }
            }
            out
        })
    }

    fn classify(
        &self,
        name: &str,
        message: &str,
        stack: &str,
        callback: &str,
        rejected: bool,
    ) -> ScriptError {
        let location = location_in_stack(stack, &self.file);
        let kind = if self.timed_out.get() {
            ErrorKind::Timeout
        } else if message.contains("out of memory") {
            ErrorKind::OutOfMemory
        } else if name == "SyntaxError" && callback == "evaluate" {
            ErrorKind::Syntax
        } else if rejected {
            ErrorKind::Rejected
        } else {
            ErrorKind::Exception
        };
        let message = match kind {
            ErrorKind::Timeout => format!(
                "stopped after {} ms (the limit per callback)",
                self.timeout.as_millis()
            ),
            ErrorKind::OutOfMemory => "out of memory (the scenario went over its memory limit)".to_string(),
            ErrorKind::Rejected => format!("promise rejected: {}", join(name, message)),
            _ => join(name, message),
        };
        ScriptError {
            kind,
            callback: callback.to_string(),
            message,
            location,
        }
    }

    /// The lab's own helper object in the context (`js/core.js`), or the
    /// error that reading it raised, as the callback `label`'s error.
    fn lab_object<'js>(&self, ctx: &Ctx<'js>, label: &str) -> Result<Object<'js>, ScriptError> {
        ctx.globals()
            .get(LAB_GLOBAL)
            .catch(ctx)
            .map_err(|e| self.convert(e, label, false))
    }

    fn convert(&self, err: CaughtError<'_>, callback: &str, rejected: bool) -> ScriptError {
        match err {
            CaughtError::Exception(ex) => {
                let name: String = ex
                    .as_object()
                    .get::<_, Option<String>>("name")
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let message = ex.message().unwrap_or_default();
                let stack = ex.stack().unwrap_or_default();
                self.classify(&name, &message, &stack, callback, rejected)
            }
            CaughtError::Value(v) => {
                let text = log_text(v.ctx(), v.clone());
                self.classify("thrown value", &text, "", callback, rejected)
            }
            CaughtError::Error(e) => self.classify("", &e.to_string(), "", callback, rejected),
        }
    }
}

/// A value as `Logger.write` prints it: strings as they are, the rest as JSON.
fn log_text<'js>(ctx: &Ctx<'js>, v: Value<'js>) -> String {
    if let Some(s) = v.as_string() {
        return s.to_string().unwrap_or_default();
    }
    if let Some(e) = v.as_exception() {
        return e.message().unwrap_or_default();
    }
    if v.is_undefined() {
        return "undefined".into();
    }
    inspect::json(ctx, v.clone()).unwrap_or_else(|| format!("{:?}", v.type_of()))
}

/// A handler's return value as a response: `generateResponse`'s `{event,
/// payload}` or `Response`'s flat object, reduced to the response fields.
fn normalise_response<'js>(ctx: &Ctx<'js>, v: Value<'js>, label: &str) -> Result<Option<Json>, ScriptError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let Some(obj) = v.as_object() else {
        return Err(ScriptError::api(
            label,
            format!(
                "the handler returned {}, not a response",
                log_text(ctx, v.clone())
            ),
        ));
    };
    let payload = match (obj.get::<_, Value>("event"), obj.get::<_, Value>("payload")) {
        (Ok(e), Ok(p)) if e.is_string() && p.is_object() => p,
        _ => v.clone(),
    };
    let text = inspect::json(ctx, payload)
        .ok_or_else(|| ScriptError::api(label, "the response cannot be written as JSON"))?;
    let parsed: Json = serde_json::from_str(&text).map_err(|e| ScriptError::api(label, e.to_string()))?;
    let mut out = serde_json::Map::new();
    if let Json::Object(fields) = parsed {
        for (k, v) in fields {
            if RESPONSE_KEYS.contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
    }
    Ok(Some(Json::Object(out)))
}

fn install<'js>(ctx: &Ctx<'js>, host: &Rc<Host>) -> rquickjs::Result<()> {
    let g = ctx.globals();
    let lab = Object::new(ctx.clone())?;
    // Chunks of globals loaded on first use.
    let load = Function::new(
        ctx.clone(),
        |ctx: Ctx<'js>, name: String| -> rquickjs::Result<()> {
            let Some((source, file)) = chunk(&name) else {
                return Ok(());
            };
            let mut options = EvalOptions::default();
            options.global = true;
            options.filename = Some(file.to_string());
            ctx.eval_with_options::<(), _>(source, options)
        },
    )?;
    lab.set("load", load)?;
    let fixtures = host.clone();
    let fixture = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, url: String| -> rquickjs::Result<Value<'js>> {
            match fixtures.fixtures.get(&url) {
                Some(json) => ctx.json_parse(json.clone()),
                None => Ok(Value::new_undefined(ctx)),
            }
        },
    )?;
    lab.set("fixture", fixture)?;
    lab.set("epoch", 0.0)?;
    g.prop(LAB_GLOBAL, Property::from(lab))?;

    let logs = host.clone();
    let write = Function::new(ctx.clone(), move |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
        let line: Vec<String> = args.0.into_iter().map(|v| log_text(&ctx, v)).collect();
        logs.logs.borrow_mut().push(line.join(" "));
    })?;
    let logger = Object::new(ctx.clone())?;
    logger.set("write", write.clone())?;
    g.prop("Logger", Property::from(logger).writable().configurable())?;
    let console = Object::new(ctx.clone())?;
    for level in ["log", "info", "warn", "error", "debug"] {
        console.set(level, write.clone())?;
    }
    g.prop("console", Property::from(console).writable().configurable())?;
    let data = host.clone();
    let custom = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> {
            let text = data.custom_data.borrow().clone();
            if text.is_empty() {
                Ok(Value::new_null(ctx))
            } else {
                ctx.json_parse(text)
            }
        },
    )?;
    g.prop("getCustomData", Property::from(custom).writable().configurable())?;
    Ok(())
}

fn join(name: &str, message: &str) -> String {
    match (name.is_empty(), message.is_empty()) {
        (true, _) => message.to_string(),
        (false, true) => name.to_string(),
        (false, false) => format!("{name}: {message}"),
    }
}
