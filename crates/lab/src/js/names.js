// Enums and voice/ASR namespaces, loaded on first use: any member reads as its
// own (dotted) name, enough for a scenario that names voices to evaluate.
(function (G, L) {
  'use strict';
  const names = (path) =>
    new Proxy(function () {}, {
      get: (_, k) => (typeof k === 'string' ? (k === 'toString' || k === 'valueOf' ? () => path : names(path + '.' + k)) : undefined),
    });
  const enumOf = (members) => {
    const o = {};
    for (const m of members) o[m] = m;
    return new Proxy(Object.freeze(o), { get: (t, k) => (k in t ? t[k] : typeof k === 'string' ? k : undefined) });
  };
  L.def('AvatarEntityTimeGrain', enumOf(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']));
  L.def('AvatarNluHintExpectedDataType', enumOf(['TEXT', 'NUMBER', 'TIME', 'ENTITY']));
  L.def('AvatarNluHintExpectedEntity', enumOf(['systemNumber', 'systemTime', 'systemDate']));
  L.def('TTSEffectsProfile', enumOf(['Handset', 'Headphone', 'LargeAutomotive', 'LargeHomeEntertainment', 'MediumHomeEntertainment', 'SmallBluetoothSpeaker', 'Telephony', 'Wearable']));
  L.def('VoiceList', names('VoiceList'));
  L.def('ASRModelList', names('ASRModelList'));
  L.def('ASRProfileList', names('ASRProfileList'));
})(globalThis, __lab);
