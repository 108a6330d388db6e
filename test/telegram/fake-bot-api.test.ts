import { Api, GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';

/** The fake must answer the way Telegram does, or adapter tests against it prove little. */
describe('fake Telegram Bot API, driven by grammY', () => {
  let fake: FakeTelegramBotApi;
  let api: Api;
  const user = { id: 77, first_name: 'Kim' };

  beforeEach(async () => {
    fake = await FakeTelegramBotApi.start();
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
  });
  afterEach(async () => {
    await fake.close();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('call succeeded'),
      (e: unknown) => e as GrammyError,
    );

  it('answers getMe, and 401 for a wrong token', async () => {
    expect(await api.getMe()).toMatchObject({ is_bot: true, username: 'switchboard_support_bot' });
    const err = await failure(new Api('1:wrong', { apiRoot: fake.apiRoot }).getMe());
    expect(err).toBeInstanceOf(GrammyError);
    expect(err).toMatchObject({ error_code: 401, description: 'Unauthorized' });
  });

  it('keeps updates until a later offset confirms them', async () => {
    const a = fake.pushMessage(user, { text: 'one' });
    const b = fake.pushMessage(user, { text: 'two' });
    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);
    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);
    expect((await api.getUpdates({ offset: b.update_id })).map((u) => u.update_id)).toEqual([b.update_id]);
    expect(await api.getUpdates({ offset: b.update_id + 1 })).toEqual([]);
    expect(fake.pendingCount).toBe(0);
  });

  it('holds a long poll open until an update arrives', async () => {
    const poll = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    const pushed = fake.pushMessage(user, { text: 'wake up' });
    expect((await poll).map((u) => u.update_id)).toEqual([pushed.update_id]);
  });

  it('ends a waiting getUpdates with 409 when another one starts, like Telegram', async () => {
    const first = failure(api.getUpdates({ timeout: 10 }));
    await new Promise((r) => setTimeout(r, 50));
    const second = api.getUpdates({ timeout: 0 });
    expect(await first).toMatchObject({ error_code: 409 });
    expect(await second).toEqual([]);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    expect(await api.setWebhook('http://127.0.0.1:9/hook', { secret_token: 'abc' })).toBe(true);
    expect(await failure(api.getUpdates())).toMatchObject({ error_code: 409 });
    expect(await failure(api.setWebhook('http://127.0.0.1:9/hook', { secret_token: 'not allowed!' }))).toMatchObject({ error_code: 400 });
    expect(await api.getWebhookInfo()).toMatchObject({ url: 'http://127.0.0.1:9/hook', pending_update_count: 0 });
    await api.deleteWebhook();
    expect(await api.getUpdates()).toEqual([]);
  });

  it('sends messages with reply_parameters and checks the text like Telegram', async () => {
    const q = fake.pushMessage(user, { text: 'question' });
    const sent = await api.sendMessage(user.id, 'answer', { reply_parameters: { message_id: q.message!.message_id } });
    expect(sent).toMatchObject({ chat: { id: user.id }, text: 'answer' });
    expect(fake.sent.at(-1)).toMatchObject({ reply_to_message_id: q.message!.message_id });

    expect(await failure(api.sendMessage(user.id, 'x', { reply_parameters: { message_id: 999 } }))).toMatchObject({
      description: 'Bad Request: message to be replied not found',
    });
    expect(await failure(api.sendMessage(user.id, 'x'.repeat(4097)))).toMatchObject({ description: 'Bad Request: message is too long' });
    expect(await failure(api.sendMessage(user.id, 'Price: 5.00', { parse_mode: 'MarkdownV2' }))).toMatchObject({ error_code: 400 });
    expect(await failure(api.sendMessage(user.id, 'a < b', { parse_mode: 'HTML' }))).toMatchObject({ error_code: 400 });
    expect(await failure(api.sendMessage(4242, 'hello'))).toMatchObject({ description: 'Bad Request: chat not found' });
  });

  it('injects 429 with retry_after, then works again', async () => {
    fake.pushMessage(user, { text: 'hi' });
    fake.failNext({
      method: 'sendMessage',
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    expect(await failure(api.sendMessage(user.id, 'x'))).toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
    expect(await api.sendMessage(user.id, 'x')).toMatchObject({ text: 'x' });
  });

  it('resolves file ids with getFile and serves the download', async () => {
    const fileId = fake.addFile(Buffer.from('%PDF-1.4 invoice'), 'documents/invoice.pdf');
    const file = await api.getFile(fileId);
    expect(file).toMatchObject({ file_id: fileId, file_size: 16, file_path: 'documents/invoice.pdf' });
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(await res.text()).toBe('%PDF-1.4 invoice');
    expect(await failure(api.getFile('nope'))).toMatchObject({ description: 'Bad Request: invalid file_id' });
  });

  it('accepts urlencoded forms too, as the Bot API does', async () => {
    fake.pushMessage(user, { text: 'hi' });
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(user.id), text: 'via form' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, result: { text: 'via form' } });
  });
});
