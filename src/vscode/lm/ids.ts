// The ids package.json declares for the Chat, in a module of their own so that activation can
// register them without loading the code behind them.
export const FUGU_VENDOR = 'fugu';
export const PARTICIPANT_ID = 'fugu.chat';
