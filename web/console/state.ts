import type { Agent } from './types.js';

export const TOKEN_KEY = 'switchboard.agentToken';

/** The signed-in session: the token (sessionStorage, this tab only), who the agent is, the directory. */
export const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null as Agent | null,
  agents: new Map<string, Agent>(),
  /** The conversation open in #view, if any. */
  openId: null as string | null,
};
