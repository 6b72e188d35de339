// The AvatarEngine globals every fresh context needs, kept small because it is
// parsed for every customer message (hibernation). Rarely used globals are
// loaded on first use (`lazy`, chunks in this folder); Logger, console and
// getCustomData, the values' inspection and the lifecycle are in engine.rs.
(function (G, L) {
  'use strict';
  const S = (L.states = new Map());
  L.start = null;
  L.hooks = { hibernate: null, wakeup: null };
  L.timers = new Map();
  L.nextTimer = 1;
  L.clock = 0;
  L.slot = null;
  L.last = null;
  const def = (n, v) => Object.defineProperty(G, n, { value: v, writable: true, configurable: true });
  L.def = def;
  const lazy = (chunk, names) => {
    for (const n of names) {
      Object.defineProperty(G, n, { configurable: true, get() { L.load(chunk); return G[n]; }, set(v) { def(n, v); } });
    }
  };

  function check(d, what) {
    if (d === null || typeof d !== 'object') throw new TypeError(what + ': expects an object');
    if (typeof d.name !== 'string' || d.name === '') throw new TypeError(what + ': `name` must be a non-empty string');
    for (const h of ['onEnter', 'onUtterance', 'onTimeout', 'beforeExit', 'onExitIntent']) {
      if (d[h] !== undefined && typeof d[h] !== 'function') throw new TypeError(what + "('" + d.name + "'): `" + h + '` must be a function');
    }
  }
  L.add = (d, form) => {
    if (S.size === 0 && L.start === null) L.start = d.name;
    S.set(d.name, Object.assign({}, d, { form }));
  };
  def('addState', function addState(d) {
    check(d, 'addState');
    if (typeof d.onUtterance !== 'function') throw new TypeError("addState('" + d.name + "'): `onUtterance` is required");
    L.add(d, null);
  });
  def('addFormState', function addFormState(d) {
    check(d, 'addFormState');
    L.load('form');
    L.add(d, L.makeForm(d));
  });
  def('getFormState', (n) => (L.formApi ? L.formApi(n) : undefined));
  def('removeState', function removeState(n) {
    S.delete(n);
    if (L.start === n) L.start = S.size ? S.keys().next().value : null;
  });
  def('getStates', () => Array.from(S.keys()));
  def('setStartState', function setStartState(n) {
    if (!S.has(n)) throw new Error("setStartState('" + n + "'): no such state");
    L.start = n;
  });
  def('getStartState', () => L.start);

  const KEYS = ['utterance', 'nextState', 'listen', 'listenTimeout', 'isFinal', 'customData', 'channelParameters', 'nluHint', 'currentState'];
  const pick = (o) => {
    const r = {};
    if (o && typeof o === 'object') for (const k of KEYS) if (o[k] !== undefined) r[k] = o[k];
    return r;
  };
  def('generateResponse', function generateResponse(o) { return { event: 'response', payload: pick(o) }; });
  def('Response', function Response(o) { return pick(o); });
  def('getLastUtteranceResponse', () => L.last);
  def('processUtteranceResponse', (r) => r);

  // SleepManager: the call style and the assignment style both register.
  const sleep = {};
  for (const [key, prop] of [['hibernate', 'onHibernate'], ['wakeup', 'onWakeup']]) {
    const register = (fn) => {
      if (typeof fn !== 'function') throw new TypeError('SleepManager.' + prop + ': expects a function');
      L.hooks[key] = fn;
    };
    Object.defineProperty(sleep, prop, { get: () => register, set: register, enumerable: true });
  }
  def('SleepManager', sleep);

  // Timers on the virtual clock (engine.rs fires them while a callback waits).
  const schedule = (fn, ms, args, repeat) => {
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    if (L.timers.size >= 100) throw new RangeError('timer limit reached (100 live timers)');
    const delay = Math.max(0, Number(ms) || 0);
    const id = L.nextTimer++;
    L.timers.set(id, { id, due: L.clock + delay, delay, fn, args, repeat });
    return id;
  };
  def('setTimeout', (fn, ms, ...args) => schedule(fn, ms, args, false));
  def('setInterval', (fn, ms, ...args) => schedule(fn, ms, args, true));
  def('clearTimeout', (id) => { L.timers.delete(id); });
  def('clearInterval', (id) => { L.timers.delete(id); });
  L.fireNextTimer = () => {
    let t = null;
    for (const x of L.timers.values()) if (t === null || x.due < t.due) t = x;
    if (t === null) return false;
    L.clock = Math.max(L.clock, t.due);
    if (t.repeat) t.due = L.clock + Math.max(1, t.delay);
    else L.timers.delete(t.id);
    t.fn.apply(undefined, t.args);
    return true;
  };
  L.timersAlive = () => Array.from(L.timers.values(), (t) => ({ id: t.id, kind: t.repeat ? 'setInterval' : 'setTimeout', delayMs: t.delay, callback: t.fn.name || '(anonymous)' }));

  lazy('util', ['uuidgen', 'getLocalTime', 'levenshtein_distance', 'base64_encode', 'base64_decode', 'str2bytes', 'bytes2str', 'hex2bytes', 'bytes2hex']);
  lazy('http', ['httpRequest', 'Net']);
  lazy('names', ['AvatarEntityTimeGrain', 'AvatarNluHintExpectedDataType', 'AvatarNluHintExpectedEntity', 'TTSEffectsProfile', 'VoiceList', 'ASRModelList', 'ASRProfileList']);

  // Starts one callback; engine.rs runs jobs and timers until `L.slot.done`.
  const start = (fn, self, args) => {
    const slot = (L.slot = { done: false });
    try {
      Promise.resolve(fn.apply(self, args)).then(
        (v) => { slot.done = true; slot.value = v; },
        (e) => { slot.done = true; slot.error = e; slot.rejected = true; });
    } catch (e) {
      slot.done = true;
      slot.error = e;
    }
  };
  L.slotDone = () => L.slot !== null && L.slot.done;
  L.hasHandler = (n, h) => { const s = S.get(n); return !!(s && typeof s[h] === 'function'); };
  L.isForm = (n) => { const s = S.get(n); return !!(s && s.form); };
  L.invokeState = (n, h, ev) => {
    if (h === 'onUtterance') L.last = ev;
    const s = S.get(n);
    start(s[h], s, [ev]);
  };
  L.invokeWakeup = (saved) => start(L.hooks.wakeup, sleep, [saved]);
  L.invokeHibernate = () => start(L.hooks.hibernate, sleep, []);
  L.info = () => ({ startState: L.start, states: Array.from(S.keys()), hibernate: L.hooks.hibernate !== null, wakeup: L.hooks.wakeup !== null });
})(globalThis, __lab);
