// Form states, loaded by the first addFormState. The flow is inferred (see
// docs/scenario-lab.md "Form states").
(function (G, L) {
  'use strict';
  L.makeForm = (d) => ({
    parameters: (Array.isArray(d.parameters) ? d.parameters : []).map((p) => ({
      name: String(p.name),
      type: p.type,
      prompt: p.prompt || p.promptMessage || '',
      attempts: p.attempts || 3,
    })),
    values: {},
    tries: {},
  });
  L.formApi = (name) => {
    const s = L.states.get(name);
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
  };
  // What to do with a message in a form state: {hook} to run, or {prompt} to send.
  L.formStep = (state, ev) => {
    const s = L.states.get(state);
    if (Array.isArray(s.exitIntents) && s.exitIntents.includes(ev.intent) && typeof s.onExitIntent === 'function') return { hook: 'onExitIntent' };
    const f = s.form;
    const missing = f.parameters.filter((p) => f.values[p.name] === undefined);
    if (missing.length === 0) return { hook: 'onUtterance' };
    const p = missing[0];
    const nums = ev.entities && ev.entities.systemNumber;
    const value = p.type === 'number' || p.type === 'systemNumber' ? (nums && nums.length ? nums[0].value : undefined) : ev.text;
    if (value !== undefined && value !== '') f.values[p.name] = value;
    else f.tries[p.name] = (f.tries[p.name] || 0) + 1;
    const still = f.parameters.filter((q) => f.values[q.name] === undefined);
    if (still.length === 0) return { hook: 'onUtterance' };
    const next = still[0];
    if ((f.tries[next.name] || 0) >= next.attempts) return { hook: 'onUtterance' };
    return { prompt: next.prompt };
  };
})(globalThis, __lab);
