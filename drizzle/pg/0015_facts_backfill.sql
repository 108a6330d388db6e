-- Backfills conversation_facts from the event log and the conversations (src/store/conversation-facts.ts
-- keeps it from then on). Rows take the team each conversation has now, since the log does not
-- record a team per event; the agent is the one who replied first, else the (last) assignee.
INSERT INTO conversation_facts (conversation_id, channel, team, agent_id, attributed_at, opened_at, handed_off_at,
  first_response_at, first_response_ms, resolved_at, resolution_ms, csat_score, sla_breaches)
SELECT x.id, x.channel, x.team, coalesce(x.first_agent, x.assignee_id, x.last_assignee_id), coalesce(x.first_response_at, x.resolved_at),
  x.opened_at, x.handed_off_at, x.first_response_at, x.first_response_at - coalesce(x.handed_off_at, x.opened_at),
  x.resolved_at, x.resolved_at - x.opened_at, x.csat, x.breaches
FROM (
  SELECT c.id, c.channel, c.team, c.assignee_id, c.last_assignee_id, c.resolved_at, c.csat,
    coalesce((SELECT min(e.created_at) FROM events e WHERE e.conversation_id = c.id AND e.type = 'status'
      AND ((e.data::json ->> 'action') = 'open' OR (e.data::json ->> 'reason') = 'opened')), c.created_at) AS opened_at,
    (SELECT min(e.created_at) FROM events e WHERE e.conversation_id = c.id AND e.type = 'status'
      AND ((e.data::json ->> 'action') = 'handoff' OR (e.data::json ->> 'reason') = 'handoff')) AS handed_off_at,
    (SELECT min(e.created_at) FROM events e WHERE e.conversation_id = c.id AND e.type = 'message'
      AND (e.data::json ->> 'author') = 'agent' AND (e.data::json ->> 'direction') = 'out') AS first_response_at,
    (SELECT m.agent_id FROM events e JOIN messages m ON m.id = (e.data::json ->> 'messageId') WHERE e.conversation_id = c.id AND e.type = 'message'
      AND (e.data::json ->> 'author') = 'agent' AND (e.data::json ->> 'direction') = 'out' ORDER BY e.seq LIMIT 1) AS first_agent,
    (SELECT count(*) FROM events e WHERE e.conversation_id = c.id AND e.type = 'sla.breached') AS breaches
  FROM conversations c
) x
WHERE true
ON CONFLICT (conversation_id) DO NOTHING;
