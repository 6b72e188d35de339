// The counting avatar from Voximplant's "Avatar scenarios" guide: it answers
// with the number of messages the customer has sent. In text channels the JS
// session is terminated between messages, so the counter survives only
// because onHibernate saves it and onWakeup restores it.
let totalUtterances = 0;

addState({
  name: 'start',
  onUtterance: async (event) => {
    totalUtterances++;
    Logger.write('utterance', totalUtterances, 'in state', event.currentState);
    return Response({
      utterance: `${totalUtterances}`,
      listen: true,
      customData: { received: getCustomData(), totalUtterances },
    });
  },
});

setStartState('start');

SleepManager.onHibernate(async () => {
  return JSON.stringify({ totalUtterances });
});

SleepManager.onWakeup(async (saved) => {
  const state = JSON.parse(saved);
  totalUtterances = state.totalUtterances;
});
