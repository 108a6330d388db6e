/** What every part of the console knows about an agent (GET /api/me, GET /api/agents); each folder has its own types for the rest. */

export interface Agent {
  id: string;
  name: string;
  role: 'agent' | 'admin';
}
