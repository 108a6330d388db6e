import { el } from '../dom.js';
import { defineStrings } from '../i18n.js';
import { visitorRowActions } from './row-actions.js';

const t = defineStrings(
  {
    invite: 'Invite to chat',
    inviteLabel: 'Invite this visitor to chat',
    invited: 'Invitation sent: their page shows it within 30 seconds.',
    declined: 'This visitor closed an invitation on this visit.',
    gone: 'This visitor has left the site.',
    failed: 'Could not invite: {error}',
  },
  {
    invite: '邀请聊天',
    inviteLabel: '邀请此访客聊天',
    invited: '已发送邀请：对方页面将在 30 秒内显示。',
    declined: '此访客本次访问已关闭过邀请。',
    gone: '此访客已离开网站。',
    failed: '无法邀请：{error}',
  },
);

/**
 * "Invite to chat" on each visitor on the site who has not chatted yet: POST /api/visitors/:id/invite,
 * delivered with the visitor's next heartbeat (no text: the widget's default invitation line).
 */
visitorRowActions.push((visitor, ctx) => {
  if (!visitor.online || visitor.conversationId) return null;
  const button = el('button', 'btn visitor-invite', t('invite'));
  button.type = 'button';
  button.setAttribute('aria-label', t('inviteLabel'));
  button.addEventListener('click', () => {
    button.disabled = true;
    ctx
      .call('POST', `/visitors/${encodeURIComponent(visitor.id)}/invite`, {})
      .then(() => ctx.notice(t('invited')))
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        ctx.notice(
          /dismissed/.test(message) ? t('declined') : /not on the site/.test(message) ? t('gone') : t('failed', { error: message }),
          true,
        );
      })
      .finally(() => (button.disabled = false));
  });
  return button;
});
