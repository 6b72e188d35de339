// The AvatarEngine globals a dialog scenario expects, evaluated in every fresh
// context before the scenario. The Rust side (engine.rs, session.rs) drives
// the lifecycle through the hidden `__lab` object; everything a scenario can
// see is documented in docs/scenario-lab.md.
(function () {
  'use strict';
  const G = globalThis;
  const lab = {
    states: new Map(),
    startState: null,
    hooks: { hibernate: null, wakeup: null },
    logs: [],
    timers: new Map(),
    nextTimer: 1,
    clock: 0,
    epoch: 0,
    customData: null,
    slot: null,
    fixtures: {},
    lastUtterance: null,
    maxTimers: 100,
  };
  Object.defineProperty(G, '__lab', { value: lab, enumerable: false });

  function define(name, value) {
    Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });
  }

  function text(v) {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return String(v);
    try {
      const s = JSON.stringify(v);
      return s === undefined ? String(v) : s;
    } catch (_) {
      return String(v);
    }
  }

  // ---- states ----
  function checkState(def, what) {
    if (def === null || typeof def !== 'object') throw new TypeError(what + ': expects an object');
    if (typeof def.name !== 'string' || def.name === '') throw new TypeError(what + ': `name` must be a non-empty string');
    for (const hook of ['onEnter', 'onUtterance', 'onTimeout', 'beforeExit', 'onExitIntent']) {
      if (def[hook] !== undefined && typeof def[hook] !== 'function') {
        throw new TypeError(what + "('" + def.name + "'): `" + hook + '` must be a function');
      }
    }
  }
  function add(def, form) {
    if (lab.states.size === 0 && lab.startState === null) lab.startState = def.name;
    lab.states.set(def.name, Object.assign({}, def, { form }));
  }
  define('addState', function addState(def) {
    checkState(def, 'addState');
    if (typeof def.onUtterance !== 'function') throw new TypeError("addState('" + def.name + "'): `onUtterance` is required");
    add(def, null);
  });
  define('addFormState', function addFormState(def) {
    checkState(def, 'addFormState');
    const params = Array.isArray(def.parameters) ? def.parameters : [];
    const form = {
      parameters: params.map((p) => ({ name: String(p.name), type: p.type, prompt: p.prompt || p.promptMessage || '', attempts: p.attempts || 3 })),
      values: {},
      tries: {},
    };
    add(def, form);
  });
  function formApi(name) {
    const s = lab.states.get(name);
    if (!s || !s.form) return undefined;
    const f = s.form;
    return {
      name,
      getParameter: (p) => f.values[p],
      getParameters: () => Object.assign({}, f.values),
      clearParameter: (p) => { delete f.values[p]; delete f.tries[p]; },
      clearParameters: () => { f.values = {}; f.tries = {}; },
      isFormComplete: () => f.parameters.every((p) => f.values[p.name] !== undefined),
    };
  }
  define('getFormState', function getFormState(name) { return formApi(name); });
  define('removeState', function removeState(name) {
    lab.states.delete(name);
    if (lab.startState === name) lab.startState = lab.states.size ? lab.states.keys().next().value : null;
  });
  define('getStates', function getStates() { return Array.from(lab.states.keys()); });
  define('setStartState', function setStartState(name) {
    if (!lab.states.has(name)) throw new Error("setStartState('" + name + "'): no such state");
    lab.startState = name;
  });
  define('getStartState', function getStartState() { return lab.startState; });

  // ---- responses ----
  const responseKeys = ['utterance', 'nextState', 'listen', 'listenTimeout', 'isFinal', 'customData', 'channelParameters', 'nluHint', 'currentState'];
  function pick(opts) {
    const out = {};
    if (opts && typeof opts === 'object') for (const k of responseKeys) if (opts[k] !== undefined) out[k] = opts[k];
    return out;
  }
  define('generateResponse', function generateResponse(opts) {
    return { event: 'response', payload: pick(opts) };
  });
  define('Response', function Response(opts) {
    return pick(opts);
  });
  define('getCustomData', function getCustomData() { return lab.customData; });
  define('getLastUtteranceResponse', function getLastUtteranceResponse() { return lab.lastUtterance; });
  define('processUtteranceResponse', function processUtteranceResponse(r) { return r; });

  // ---- SleepManager: call style and assignment style both register ----
  const sleep = {};
  function hookProp(key, prop) {
    const register = function (fn) {
      if (typeof fn !== 'function') throw new TypeError('SleepManager.' + prop + ': expects a function');
      lab.hooks[key] = fn;
    };
    Object.defineProperty(sleep, prop, {
      get: () => register,
      set: (fn) => register(fn),
      enumerable: true,
    });
  }
  hookProp('hibernate', 'onHibernate');
  hookProp('wakeup', 'onWakeup');
  define('SleepManager', sleep);

  // ---- Logger ----
  const write = (...args) => { lab.logs.push(args.map(text).join(' ')); };
  define('Logger', { write });
  define('console', { log: write, info: write, warn: write, error: write, debug: write });

  // ---- timers on a virtual clock ----
  function schedule(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    if (lab.timers.size >= lab.maxTimers) throw new RangeError('timer limit reached (' + lab.maxTimers + ' live timers)');
    const delay = Math.max(0, Number(ms) || 0);
    const id = lab.nextTimer++;
    lab.timers.set(id, { id, due: lab.clock + delay, delay, fn, args, repeat });
    return id;
  }
  define('setTimeout', (fn, ms, ...args) => schedule(fn, ms, args, false));
  define('setInterval', (fn, ms, ...args) => schedule(fn, ms, args, true));
  define('clearTimeout', (id) => { lab.timers.delete(id); });
  define('clearInterval', (id) => { lab.timers.delete(id); });

  // ---- HTTP: fixtures or a clear refusal ----
  function request(url, options) {
    const key = String(url);
    const f = Object.prototype.hasOwnProperty.call(lab.fixtures, key) ? lab.fixtures[key] : undefined;
    if (f === undefined) {
      return Promise.reject(new Error('httpRequest(' + key + '): the lab makes no network requests and has no fixture for this URL'));
    }
    return Promise.resolve({ code: f.code === undefined ? 200 : f.code, text: f.text === undefined ? '' : f.text, headers: f.headers || {}, url: key, options });
  }
  define('httpRequest', function httpRequest(url, a, b) {
    if (typeof a === 'function') {
      request(url, b).then((r) => a(r), (e) => a({ code: -1, error: String(e.message), url: String(url) }));
      return undefined;
    }
    return request(url, a);
  });
  define('Net', {
    httpRequestAsync: (url, options) => request(url, options),
    httpRequest: (url, cb, options) => G.httpRequest(url, cb, options),
  });

  // ---- utilities ----
  define('uuidgen', function uuidgen() {
    const h = '0123456789abcdef';
    let s = '';
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
      else if (i === 14) s += '4';
      else if (i === 19) s += h[8 + Math.floor(Math.random() * 4)];
      else s += h[Math.floor(Math.random() * 16)];
    }
    return s;
  });
  define('getLocalTime', function getLocalTime() { return new Date(lab.epoch + lab.clock); });
  define('levenshtein_distance', function levenshtein_distance(a, b) {
    a = String(a); b = String(b);
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  });
  function utf8(str) {
    const out = [];
    for (const ch of String(str)) {
      let c = ch.codePointAt(0);
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  function fromUtf8(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i] & 255;
      let c, n;
      if (b < 0x80) { c = b; n = 1; } else if (b >> 5 === 6) { c = b & 31; n = 2; } else if (b >> 4 === 14) { c = b & 15; n = 3; } else { c = b & 7; n = 4; }
      for (let k = 1; k < n; k++) c = (c << 6) | (bytes[i + k] & 63);
      s += String.fromCodePoint(c);
      i += n;
    }
    return s;
  }
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  define('str2bytes', (s) => utf8(s));
  define('bytes2str', (b) => fromUtf8(Array.from(b)));
  define('bytes2hex', (b) => Array.from(b, (x) => ((x & 255) < 16 ? '0' : '') + (x & 255).toString(16)).join(''));
  define('hex2bytes', (h) => { const out = []; for (let i = 0; i + 1 < h.length; i += 2) out.push(parseInt(h.substr(i, 2), 16)); return out; });
  define('base64_encode', function base64_encode(s) {
    const b = typeof s === 'string' ? utf8(s) : Array.from(s);
    let out = '';
    for (let i = 0; i < b.length; i += 3) {
      const n = (b[i] << 16) | ((b[i + 1] || 0) << 8) | (b[i + 2] || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    }
    return out;
  });
  define('base64_decode', function base64_decode(s) {
    const clean = String(s).replace(/[^A-Za-z0-9+/]/g, '');
    const out = [];
    for (let i = 0; i < clean.length; i += 4) {
      const n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) | ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
      out.push((n >> 16) & 255);
      if (i + 2 < clean.length) out.push((n >> 8) & 255);
      if (i + 3 < clean.length) out.push(n & 255);
    }
    return fromUtf8(out);
  });

  // ---- enums and namespaces: any member reads as its own dotted name ----
  function names(path) {
    return new Proxy(function () {}, {
      get: (_, key) => (typeof key === 'string' ? (key === 'toString' ? () => path : names(path + '.' + key)) : undefined),
    });
  }
  function enumOf(name, members) {
    const o = {};
    for (const m of members) o[m] = m;
    return new Proxy(Object.freeze(o), { get: (t, k) => (k in t ? t[k] : typeof k === 'string' ? k : undefined) });
  }
  define('AvatarEntityTimeGrain', enumOf('AvatarEntityTimeGrain', ['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']));
  define('AvatarNluHintExpectedDataType', enumOf('AvatarNluHintExpectedDataType', ['TEXT', 'NUMBER', 'TIME', 'ENTITY']));
  define('AvatarNluHintExpectedEntity', enumOf('AvatarNluHintExpectedEntity', ['systemNumber', 'systemTime', 'systemDate']));
  define('TTSEffectsProfile', enumOf('TTSEffectsProfile', ['Handset', 'Headphone', 'LargeAutomotive', 'LargeHomeEntertainment', 'MediumHomeEntertainment', 'SmallBluetoothSpeaker', 'Telephony', 'Wearable']));
  define('VoiceList', names('VoiceList'));
  define('ASRModelList', names('ASRModelList'));
  define('ASRProfileList', names('ASRProfileList'));

  // ---- the lab's side: invoking callbacks and reading results ----
  function describe(v) {
    const t = typeof v;
    if (t === 'function') return { kind: 'function', repr: 'function ' + (v.name || '(anonymous)') + ' ' + String(v).length + ':' + String(v).slice(0, 60) };
    if (v instanceof Map) return { kind: 'map', repr: 'Map(' + v.size + ') ' + text(Array.from(v.entries())) };
    if (v instanceof Set) return { kind: 'set', repr: 'Set(' + v.size + ') ' + text(Array.from(v.values())) };
    if (v instanceof Date) return { kind: 'date', repr: 'Date(' + (isNaN(v) ? 'Invalid' : v.toISOString()) + ')' };
    if (v instanceof Promise) return { kind: 'promise', repr: 'Promise' };
    if (t === 'undefined') return { kind: 'undefined', repr: 'undefined' };
    if (t === 'bigint' || t === 'symbol') return { kind: t, repr: String(v) };
    const bad = jsonProblem(v, '');
    let repr;
    try { repr = JSON.stringify(v); } catch (e) { repr = String(v); }
    return { kind: bad === null ? 'json' : 'other', repr: repr === undefined ? String(v) : repr, problem: bad };
  }
  // The first place in `v` that JSON would drop or change, or null.
  function jsonProblem(v, path, seen) {
    seen = seen || new Set();
    const t = typeof v;
    if (v === null || t === 'string' || t === 'boolean') return null;
    if (t === 'number') return Number.isFinite(v) ? null : (path || 'value') + ' is ' + v + ' (JSON writes null)';
    if (t === 'undefined') return (path || 'value') + ' is undefined (JSON drops it)';
    if (t === 'function') return (path || 'value') + ' is a function (JSON drops it)';
    if (t !== 'object') return (path || 'value') + ' is a ' + t + ' (JSON cannot write it)';
    if (seen.has(v)) return (path || 'value') + ' is a cycle';
    seen.add(v);
    if (v instanceof Map) return (path || 'value') + ' is a Map (JSON writes {})';
    if (v instanceof Set) return (path || 'value') + ' is a Set (JSON writes {})';
    if (v instanceof Date) return (path || 'value') + ' is a Date (JSON writes a string)';
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) { const p = jsonProblem(v[i], path + '[' + i + ']', seen); if (p) return p; }
      return null;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return (path || 'value') + ' is a class instance (JSON keeps only its own fields)';
    for (const k of Object.keys(v)) { const p = jsonProblem(v[k], path ? path + '.' + k : k, seen); if (p) return p; }
    seen.delete(v);
    return null;
  }
  function errorInfo(e) {
    if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack || '' };
    return { name: 'thrown value', message: text(e), stack: '' };
  }
  function normalize(v) {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'object') return { invalid: 'a handler returned ' + text(v) + ', not a response' };
    const r = v.payload && typeof v.payload === 'object' && typeof v.event === 'string' ? v.payload : v;
    const out = pick(r);
    if (out.customData !== undefined) out.customData = JSON.parse(JSON.stringify(out.customData));
    return out;
  }

  lab.baseline = null;
  lab.setBaseline = () => { lab.baseline = new Set(Object.getOwnPropertyNames(G)); };
  lab.setTurn = (json) => {
    const t = JSON.parse(json);
    lab.customData = t.customData;
    lab.clock = Math.max(lab.clock, t.clock);
    lab.epoch = t.epoch;
    if (t.fixtures) lab.fixtures = t.fixtures;
  };
  lab.info = () => JSON.stringify({
    startState: lab.startState,
    states: Array.from(lab.states.keys()),
    hibernate: lab.hooks.hibernate !== null,
    wakeup: lab.hooks.wakeup !== null,
  });
  lab.hasHandler = (state, hook) => { const s = lab.states.get(state); return !!(s && typeof s[hook] === 'function'); };
  lab.isForm = (state) => { const s = lab.states.get(state); return !!(s && s.form); };
  // Starts one callback; its outcome lands in lab.slot once the job queue settles it.
  function start(fn, thisArg, args, kind) {
    const slot = { done: false, kind };
    lab.slot = slot;
    try {
      const r = fn.apply(thisArg, args);
      Promise.resolve(r).then((v) => { slot.done = true; slot.value = v; }, (e) => { slot.done = true; slot.error = e; slot.rejected = true; });
    } catch (e) {
      slot.done = true;
      slot.error = e;
    }
  }
  lab.invokeState = (state, hook, eventJson) => {
    const s = lab.states.get(state);
    if (lab.lastUtterance === null && hook === 'onUtterance') lab.lastUtterance = null;
    const ev = JSON.parse(eventJson);
    if (hook === 'onUtterance') lab.lastUtterance = ev;
    start(s[hook], s, [ev], 'response');
  };
  lab.invokeWakeup = (blobJson) => {
    const b = JSON.parse(blobJson);
    const arg = b.object ? JSON.parse(b.text) : b.text;
    start(lab.hooks.wakeup, sleep, [arg], 'void');
  };
  lab.invokeHibernate = () => { start(lab.hooks.hibernate, sleep, [], 'blob'); };
  lab.slotDone = () => lab.slot !== null && lab.slot.done;
  lab.slotResult = () => {
    const s = lab.slot;
    lab.slot = null;
    if (s.error !== undefined || s.rejected) return JSON.stringify({ error: Object.assign(errorInfo(s.error), { rejected: !!s.rejected }) });
    if (s.kind === 'response') {
      try { return JSON.stringify({ response: normalize(s.value) }); } catch (e) { return JSON.stringify({ error: errorInfo(e) }); }
    }
    if (s.kind === 'blob') {
      const v = s.value;
      if (v === undefined || v === null) return JSON.stringify({ blob: null });
      if (typeof v === 'string') return JSON.stringify({ blob: { text: v, object: false } });
      let t;
      try { t = JSON.stringify(v); } catch (e) { return JSON.stringify({ error: errorInfo(e) }); }
      if (t === undefined) return JSON.stringify({ blob: null, problem: 'the hibernate callback returned ' + typeof v });
      return JSON.stringify({ blob: { text: t, object: true }, problem: jsonProblem(v, '') });
    }
    return JSON.stringify({});
  };
  // Form states fill their parameters from the utterance before `onUtterance` sees it.
  lab.formStep = (state, eventJson) => {
    const s = lab.states.get(state);
    const ev = JSON.parse(eventJson);
    if (Array.isArray(s.exitIntents) && s.exitIntents.includes(ev.intent) && typeof s.onExitIntent === 'function') return JSON.stringify({ hook: 'onExitIntent' });
    const f = s.form;
    const missing = f.parameters.filter((p) => f.values[p.name] === undefined);
    if (missing.length === 0) return JSON.stringify({ hook: 'onUtterance' });
    const p = missing[0];
    const nums = ev.entities && ev.entities.systemNumber;
    const value = p.type === 'number' || p.type === 'systemNumber' ? (nums && nums.length ? nums[0].value : undefined) : ev.text;
    if (value !== undefined && value !== '') f.values[p.name] = value;
    else f.tries[p.name] = (f.tries[p.name] || 0) + 1;
    const still = f.parameters.filter((q) => f.values[q.name] === undefined);
    if (still.length === 0) return JSON.stringify({ hook: 'onUtterance' });
    const next = still[0];
    if ((f.tries[next.name] || 0) >= next.attempts) return JSON.stringify({ hook: 'onUtterance' });
    return JSON.stringify({ prompt: next.prompt });
  };
  lab.fireNextTimer = () => {
    let next = null;
    for (const t of lab.timers.values()) if (next === null || t.due < next.due) next = t;
    if (next === null) return false;
    lab.clock = Math.max(lab.clock, next.due);
    if (next.repeat) next.due = lab.clock + Math.max(1, next.delay);
    else lab.timers.delete(next.id);
    next.fn.apply(undefined, next.args);
    return true;
  };
  lab.timersAlive = () => JSON.stringify(Array.from(lab.timers.values(), (t) => ({ id: t.id, kind: t.repeat ? 'setInterval' : 'setTimeout', delayMs: t.delay, callback: t.fn.name || '(anonymous)' })));
  lab.takeLogs = () => { const l = lab.logs; lab.logs = []; return JSON.stringify(l); };
  lab.snapshot = (namesJson) => {
    const out = {};
    const names = new Set(JSON.parse(namesJson));
    for (const n of Object.getOwnPropertyNames(G)) if (!lab.baseline.has(n)) names.add(n);
    for (const n of names) {
      let v;
      try { v = (0, eval)(n); } catch (_) { continue; }
      out[n] = describe(v);
    }
    return JSON.stringify(out);
  };
  lab.errorOf = (e) => JSON.stringify(errorInfo(e));
})();
