// A multi-state pizza-ordering avatar: intents, onEnter, nextState,
// customData in and out, isFinal, and the hooks that keep the order across
// hibernation (assignment style, an object payload).
let order = { kind: null, size: null };
let customer = null;

addState({
  name: 'greeting',
  onEnter: () => Response({ utterance: 'Hi! I take pizza orders. What would you like?', listen: true }),
  onUtterance: (event) => {
    const data = getCustomData();
    if (data && data.name) customer = data.name;
    if (event.intent === 'order') return Response({ utterance: event.response, nextState: 'kind' });
    if (event.intent === 'margherita' || event.intent === 'pepperoni') {
      order.kind = event.intent;
      return Response({ nextState: 'size' });
    }
    return Response({ utterance: 'Sorry, I only do pizza. Would you like one?', listen: true });
  },
});

addState({
  name: 'kind',
  onEnter: () => Response({ utterance: 'Margherita or pepperoni?', listen: true }),
  onUtterance: (event) => {
    if (event.intent === 'cancel') return Response({ nextState: 'bye' });
    if (event.intent === 'margherita' || event.intent === 'pepperoni') {
      order.kind = event.intent;
      return Response({ nextState: 'size' });
    }
    return Response({ utterance: 'We have margherita and pepperoni.', listen: true });
  },
});

addState({
  name: 'size',
  onEnter: (event) => Response({ utterance: `A ${order.kind}. What size, in cm (25, 30 or 35)?`, listen: true }),
  onUtterance: (event) => {
    const n = event.entities.systemNumber;
    const size = n && n.length ? n[0].value : null;
    if ([25, 30, 35].includes(size)) {
      order.size = size;
      return Response({ nextState: 'confirm' });
    }
    if (event.utteranceCounter >= 3) return Response({ utterance: 'Let us start over.', nextState: 'kind' });
    return Response({ utterance: 'Please say 25, 30 or 35.', listen: true });
  },
});

addState({
  name: 'confirm',
  onEnter: () => Response({
    utterance: `${customer ? customer + ', a' : 'A'} ${order.size} cm ${order.kind}. Shall I place the order?`,
    listen: true,
    customData: { draft: order },
  }),
  onUtterance: async (event) => {
    if (event.intent === 'yes') {
      return Response({ isFinal: true, customData: { order, customer, placed: true } });
    }
    if (event.intent === 'no') {
      order = { kind: null, size: null };
      return Response({ nextState: 'kind' });
    }
    return Response({ utterance: 'Yes or no?', listen: true });
  },
  beforeExit: () => Logger.write('leaving confirm with', order),
});

addState({
  name: 'bye',
  onEnter: () => Response({ isFinal: true, customData: { order: null, cancelled: true } }),
  onUtterance: () => Response({ isFinal: true }),
});

setStartState('greeting');

SleepManager.onHibernate = () => ({ order, customer });
SleepManager.onWakeup = (saved) => {
  order = saved.order;
  customer = saved.customer;
};
