//! Looking at the scenario's JS values from Rust, without parsing any JS per
//! message: what a global holds (for the globals diff) and where JSON would
//! drop or change part of a value (for `not_serializable`).

use rquickjs::Type;
use rquickjs::{Ctx, Function, Object, Value, function::This};

use crate::record::GlobalValue;

/// JSON nesting the lab follows before calling a value a cycle.
const MAX_DEPTH: usize = 48;

/// The global constructors `instanceof` checks use, read once per snapshot.
pub(crate) struct Builtins<'js> {
    map: Value<'js>,
    set: Value<'js>,
    date: Value<'js>,
    object_proto: Option<Value<'js>>,
    array_from: Option<Function<'js>>,
    string: Option<Function<'js>>,
}

impl<'js> Builtins<'js> {
    pub fn new(ctx: &Ctx<'js>) -> Self {
        let g = ctx.globals();
        let get = |n: &str| {
            g.get::<_, Value>(n)
                .unwrap_or_else(|_| Value::new_undefined(ctx.clone()))
        };
        let object_proto = g
            .get::<_, Object>("Object")
            .ok()
            .and_then(|o| o.get::<_, Value>("prototype").ok());
        let array_from = g
            .get::<_, Object>("Array")
            .ok()
            .and_then(|a| a.get::<_, Function>("from").ok());
        Self {
            map: get("Map"),
            set: get("Set"),
            date: get("Date"),
            object_proto,
            array_from,
            string: g.get::<_, Function>("String").ok(),
        }
    }

    fn to_string(&self, v: &Value<'js>) -> String {
        self.string
            .as_ref()
            .and_then(|f| f.call::<_, String>((v.clone(),)).ok())
            .unwrap_or_else(|| format!("{:?}", v.type_of()))
    }

    fn entries(&self, ctx: &Ctx<'js>, v: &Value<'js>) -> String {
        self.array_from
            .as_ref()
            .and_then(|f| f.call::<_, Value>((v.clone(),)).ok())
            .and_then(|a| json(ctx, a))
            .unwrap_or_default()
    }
}

pub(crate) fn json<'js>(ctx: &Ctx<'js>, v: Value<'js>) -> Option<String> {
    ctx.json_stringify(v)
        .ok()
        .flatten()
        .and_then(|s| s.to_string().ok())
}

fn class<'js>(b: &Builtins<'js>, o: &Object<'js>) -> Option<&'static str> {
    if o.is_instance_of(&b.map) {
        Some("map")
    } else if o.is_instance_of(&b.set) {
        Some("set")
    } else if o.is_instance_of(&b.date) {
        Some("date")
    } else {
        None
    }
}

/// How the lab shows (and compares) a global's value.
pub(crate) fn describe<'js>(ctx: &Ctx<'js>, b: &Builtins<'js>, v: &Value<'js>) -> GlobalValue {
    let plain = |kind: &str, repr: String| GlobalValue {
        kind: kind.into(),
        repr,
        problem: None,
    };
    match v.type_of() {
        Type::Undefined | Type::Uninitialized => plain("undefined", "undefined".into()),
        Type::Function | Type::Constructor => {
            let source = v
                .as_object()
                .and_then(|o| o.get::<_, Function>("toString").ok())
                .and_then(|f| f.call::<_, String>((This(v.clone()),)).ok())
                .unwrap_or_default();
            // Compared by source: the function a fresh evaluation declares again is not "lost".
            let head: String = source.chars().take(60).collect();
            plain("function", format!("function {}:{head}", source.len()))
        }
        Type::Promise => plain("promise", "Promise".into()),
        Type::Symbol | Type::BigInt => plain(
            if v.type_of() == Type::Symbol {
                "symbol"
            } else {
                "bigint"
            },
            b.to_string(v),
        ),
        _ => {
            if let Some(o) = v.as_object() {
                match class(b, o) {
                    Some("map") => {
                        let size: i64 = o.get("size").unwrap_or(0);
                        return plain("map", format!("Map({size}) {}", b.entries(ctx, v)));
                    }
                    Some("set") => {
                        let size: i64 = o.get("size").unwrap_or(0);
                        return plain("set", format!("Set({size}) {}", b.entries(ctx, v)));
                    }
                    Some(_) => {
                        let iso = o
                            .get::<_, Function>("toISOString")
                            .ok()
                            .and_then(|f| f.call::<_, String>((This(v.clone()),)).ok())
                            .unwrap_or_else(|| "Invalid".into());
                        return plain("date", format!("Date({iso})"));
                    }
                    None => {}
                }
            }
            let problem = json_problem(b, v, "", 0);
            let repr = json(ctx, v.clone()).unwrap_or_else(|| b.to_string(v));
            GlobalValue {
                kind: if problem.is_none() { "json" } else { "other" }.into(),
                repr,
                problem,
            }
        }
    }
}

fn at(path: &str) -> &str {
    if path.is_empty() { "value" } else { path }
}

/// The first place in `v` that JSON would drop or change, or `None`.
pub(crate) fn json_problem<'js>(
    b: &Builtins<'js>,
    v: &Value<'js>,
    path: &str,
    depth: usize,
) -> Option<String> {
    let p = at(path);
    match v.type_of() {
        Type::Null | Type::Bool | Type::String | Type::Int => None,
        Type::Float => {
            let f = v.as_float().unwrap_or(0.0);
            (!f.is_finite()).then(|| format!("{p} is {f} (JSON writes null)"))
        }
        Type::Undefined | Type::Uninitialized => Some(format!("{p} is undefined (JSON drops it)")),
        Type::Function | Type::Constructor => Some(format!("{p} is a function (JSON drops it)")),
        Type::Promise => Some(format!("{p} is a Promise (JSON writes {{}})")),
        Type::Symbol | Type::BigInt | Type::Module | Type::Unknown => {
            Some(format!("{p} is a {} (JSON cannot write it)", v.type_name()))
        }
        Type::Array | Type::Object | Type::Exception | Type::Proxy => {
            if depth >= MAX_DEPTH {
                return Some(format!(
                    "{p} is nested more than {MAX_DEPTH} levels deep (a cycle?)"
                ));
            }
            let o = v.as_object()?;
            match class(b, o) {
                Some("map") => return Some(format!("{p} is a Map (JSON writes {{}})")),
                Some("set") => return Some(format!("{p} is a Set (JSON writes {{}})")),
                Some(_) => return Some(format!("{p} is a Date (JSON writes a string)")),
                None => {}
            }
            if let Some(array) = o.as_array() {
                return array.iter::<Value>().enumerate().find_map(|(i, item)| {
                    let item = item.ok()?;
                    json_problem(b, &item, &format!("{path}[{i}]"), depth + 1)
                });
            }
            let proto = o.get_prototype().map(|p| p.into_value());
            if proto.is_some() && proto != b.object_proto {
                return Some(format!(
                    "{p} is a class instance (JSON keeps only its own fields)"
                ));
            }
            o.props::<String, Value>().find_map(|entry| {
                let (k, item) = entry.ok()?;
                let child = if path.is_empty() { k } else { format!("{path}.{k}") };
                json_problem(b, &item, &child, depth + 1)
            })
        }
    }
}
