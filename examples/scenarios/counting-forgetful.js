// The same counting avatar without SleepManager hooks: the guide's bug.
// Every customer message wakes a fresh JS session, totalUtterances starts
// from 0 again, and the avatar answers 1, 1, 1.
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
