//! One JS session: a QuickJS runtime and context with the AvatarEngine globals
//! and the scenario evaluated, under the lab's limits. Everything the session
//! module asks of the scenario goes through `callback`, which arms the time
//! limit, starts the callback, drains the promise job queue and fires
//! virtual-clock timers until the callback's promise settles.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::function::IntoArgs;
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Object, Runtime};

use crate::error::{ErrorKind, ScriptError, location_in_stack};
use crate::options::LabOptions;
use crate::scenario::Scenario;

const SHIM: &str = include_str!("shim.js");
const SHIM_FILE: &str = "avatarengine-shim.js";

/// The scenario's own state the lab reads after evaluation.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScenarioInfo {
    pub start_state: Option<String>,
    pub states: Vec<String>,
    pub hibernate: bool,
    pub wakeup: bool,
}

pub(crate) struct Engine {
    // Field order matters: the context must drop before its runtime.
    ctx: Context,
    rt: Runtime,
    deadline: Rc<Cell<Option<Instant>>>,
    timed_out: Rc<Cell<bool>>,
    file: String,
    timeout: Duration,
}

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
        let engine = Self {
            ctx,
            rt,
            deadline,
            timed_out,
            file: scenario.file.clone(),
            timeout: opts.callback_timeout,
        };
        engine.eval(SHIM, SHIM_FILE, "the lab's AvatarEngine globals")?;
        engine.call_lab::<_, ()>("setBaseline", (), "setup")?;
        engine.eval(&scenario.source, &scenario.file, "evaluate")?;
        Ok(engine)
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
                .map_err(|e| self.convert(&ctx, e, callback))
        });
        self.disarm();
        result?;
        self.drain(callback)
    }

    fn arm(&self) {
        self.timed_out.set(false);
        self.deadline.set(Some(Instant::now() + self.timeout));
    }

    fn disarm(&self) {
        self.deadline.set(None);
    }

    /// Calls `__lab[name](args)` and converts its result.
    pub fn call_lab<A, R>(&self, name: &str, args: A, callback: &str) -> Result<R, ScriptError>
    where
        A: for<'js> IntoArgs<'js>,
        R: for<'js> rquickjs::FromJs<'js>,
    {
        self.ctx.with(|ctx| {
            let lab: Object = ctx
                .globals()
                .get("__lab")
                .catch(&ctx)
                .map_err(|e| self.convert(&ctx, e, callback))?;
            let f: Function = lab
                .get(name)
                .catch(&ctx)
                .map_err(|e| self.convert(&ctx, e, callback))?;
            f.call::<A, R>(args)
                .catch(&ctx)
                .map_err(|e| self.convert(&ctx, e, callback))
        })
    }

    fn call_lab_json<A>(&self, name: &str, args: A, callback: &str) -> Result<serde_json::Value, ScriptError>
    where
        A: for<'js> IntoArgs<'js>,
    {
        let text: String = self.call_lab(name, args, callback)?;
        serde_json::from_str(&text)
            .map_err(|e| ScriptError::api(callback, format!("the lab could not read its own JSON: {e}")))
    }

    pub fn info(&self) -> Result<ScenarioInfo, ScriptError> {
        let v = self.call_lab_json("info", (), "info")?;
        serde_json::from_value(v).map_err(|e| ScriptError::api("info", e.to_string()))
    }

    /// Runs the job queue dry under a fresh deadline.
    fn drain(&self, callback: &str) -> Result<(), ScriptError> {
        self.timed_out.set(false);
        let result = self.run_jobs(callback, Some(Instant::now() + self.timeout));
        self.disarm();
        result
    }

    /// Starts a callback with `__lab[start](args)`, then runs jobs and timers
    /// until it settles; returns `__lab.slotResult()`.
    pub fn callback<A>(&self, start: &str, args: A, callback: &str) -> Result<serde_json::Value, ScriptError>
    where
        A: for<'js> IntoArgs<'js>,
    {
        let began = Instant::now();
        self.timed_out.set(false);
        self.deadline.set(Some(began + self.timeout));
        let outcome = self.settle(start, args, callback);
        self.disarm();
        outcome?;
        self.call_lab_json("slotResult", (), callback)
    }

    fn settle<A>(&self, start: &str, args: A, callback: &str) -> Result<(), ScriptError>
    where
        A: for<'js> IntoArgs<'js>,
    {
        self.call_lab::<A, ()>(start, args, callback)?;
        let deadline = self.deadline.get();
        loop {
            // `drain` re-arms; keep the callback's own deadline instead.
            self.run_jobs(callback, deadline)?;
            if self.call_lab::<_, bool>("slotDone", (), callback)? {
                return Ok(());
            }
            // Nothing runnable is left: let the virtual clock jump to the next timer.
            if !self.call_lab::<_, bool>("fireNextTimer", (), callback)? {
                return Err(ScriptError {
                    kind: ErrorKind::NeverSettled,
                    callback: callback.to_string(),
                    message: "the callback's promise never settled (no job or timer left to run)".into(),
                    location: None,
                });
            }
        }
    }

    fn run_jobs(&self, callback: &str, deadline: Option<Instant>) -> Result<(), ScriptError> {
        self.deadline.set(deadline);
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
                        self.convert(&ctx, caught, callback)
                    }));
                }
            }
        }
    }

    /// A JS error value (from `slotResult`) as a `ScriptError`.
    pub fn script_error(&self, info: &serde_json::Value, callback: &str) -> ScriptError {
        let field = |k: &str| {
            info.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let rejected = info.get("rejected").and_then(|v| v.as_bool()).unwrap_or(false);
        let (name, message, stack) = (field("name"), field("message"), field("stack"));
        self.classify(&name, &message, &stack, callback, rejected)
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

    fn convert(&self, _ctx: &Ctx<'_>, err: CaughtError<'_>, callback: &str) -> ScriptError {
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
                self.classify(&name, &message, &stack, callback, false)
            }
            CaughtError::Value(v) => {
                let text = match v.as_string().and_then(|s| s.to_string().ok()) {
                    Some(s) => s,
                    None => format!("{v:?}"),
                };
                self.classify("thrown value", &text, "", callback, false)
            }
            CaughtError::Error(e) => {
                let text = e.to_string();
                self.classify("", &text, "", callback, false)
            }
        }
    }
}

fn join(name: &str, message: &str) -> String {
    match (name.is_empty(), message.is_empty()) {
        (true, _) => message.to_string(),
        (false, true) => name.to_string(),
        (false, false) => format!("{name}: {message}"),
    }
}
