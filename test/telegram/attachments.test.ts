/**
 * Files both ways through the Telegram fake with the real grammY client: what a customer sends
 * opens to exactly its bytes (getFile, then the download through the API root), and files sent
 * with a reply arrive as real multipart uploads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hugeFile, outboundFile, readAll, samplePdf, samplePng, sha256 } from '../support/sample-files.js';
import { sendError } from '../support/send-error.js';
import { alice, reply, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const signal = () => AbortSignal.timeout(10_000);

describe('Telegram files from customers', () => {
  it('a photo (largest size, shown inline) and a PDF open to exactly the bytes sent', async () => {
    h = await startHarness();
    const png = samplePng(30_000);
    const small = samplePng(100);
    const pdf = samplePdf(50_000);
    const bigId = h.fake.addFile(png, 'photos/file_1.jpg');
    const smallId = h.fake.addFile(small, 'photos/file_0.jpg');
    const pdfId = h.fake.addFile(pdf, 'documents/invoice.pdf');
    h.fake.pushMessage(alice, {
      caption: 'The box arrived crushed',
      photo: [
        { file_id: smallId, file_unique_id: 'small', width: 90, height: 90, file_size: small.length },
        { file_id: bigId, file_unique_id: 'big', width: 1280, height: 960, file_size: png.length },
      ],
    });
    h.fake.pushMessage(alice, {
      document: { file_id: pdfId, file_unique_id: 'inv', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: pdf.length },
    });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 10_000, 'both stored');
    const [photo, doc] = h.recorder.stored;
    expect(photo!.text).toBe('The box arrived crushed');
    expect(photo!.attachments).toHaveLength(1);
    expect(photo!.attachments[0]).toMatchObject({ name: 'photo_big.jpg', mime: 'image/jpeg', size: png.length, inline: true });
    expect(sha256(await readAll(await photo!.attachments[0]!.open!(signal())))).toBe(sha256(png));
    // A message that is only a file is still a message.
    expect(doc!.text).toBe('');
    expect(doc!.attachments[0]).toMatchObject({ name: 'invoice.pdf', mime: 'application/pdf', size: pdf.length });
    expect(doc!.attachments[0]!.inline).toBeUndefined();
    expect(sha256(await readAll(await doc!.attachments[0]!.open!(signal())))).toBe(sha256(pdf));
    expect(h.fake.calls.filter((c) => c.method === 'getFile').map((c) => c.params.file_id)).toEqual([bigId, pdfId]);
  });

  it('voice, video and stickers: a still sticker is a small inline image, animated and video stickers are files', async () => {
    h = await startHarness();
    const bytes = samplePng(500);
    const id = h.fake.addFile(bytes, 'stickers/s.webp');
    const sticker = { file_id: id, width: 512, height: 512, type: 'regular' as const, file_size: bytes.length };
    h.fake.pushMessage(alice, { sticker: { ...sticker, file_unique_id: 'still', is_animated: false, is_video: false, emoji: '👍' } });
    h.fake.pushMessage(alice, { sticker: { ...sticker, file_unique_id: 'lottie', is_animated: true, is_video: false } });
    h.fake.pushMessage(alice, { sticker: { ...sticker, file_unique_id: 'clip', is_animated: false, is_video: true } });
    h.fake.pushMessage(alice, { voice: { file_id: id, file_unique_id: 'v', duration: 3, mime_type: 'audio/ogg', file_size: 10 } });
    h.fake.pushMessage(alice, { video: { file_id: id, file_unique_id: 'vid', width: 1, height: 1, duration: 1, file_size: 10 } });
    await h.fake.waitFor(() => h.recorder.stored.length === 5, 10_000, 'all stored');
    const files = h.recorder.stored.map((m) => m.attachments[0]!);
    expect(files.map((f) => [f.name, f.mime, f.inline ?? false])).toEqual([
      ['sticker_still.webp', 'image/webp', true],
      ['sticker_lottie.tgs', 'application/x-tgsticker', false],
      ['sticker_clip.webm', 'video/webm', false],
      ['voice_v.ogg', 'audio/ogg', false],
      ['video_vid.mp4', 'video/mp4', false],
    ]);
    expect(sha256(await readAll(await files[0]!.open!(signal())))).toBe(sha256(bytes));
  });

  it('TELEGRAM_MAX_DOWNLOAD_MB: a file Telegram says is larger has no open; one that turns out larger is refused while reading', async () => {
    h = await startHarness({ maxDownloadBytes: 1024 * 1024 });
    const big = Buffer.alloc(1024 * 1024 + 1, 1);
    const id = h.fake.addFile(big, 'documents/big.bin');
    h.fake.pushMessage(alice, { document: { file_id: id, file_unique_id: 'a', file_name: 'big.bin', file_size: big.length } });
    // Telegram leaves file_size out at times: then the limit applies to what getFile and the download say.
    h.fake.pushMessage(alice, { document: { file_id: id, file_unique_id: 'b', file_name: 'big.bin' } });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 10_000, 'both stored');
    const [known, unknown] = h.recorder.stored.map((m) => m.attachments[0]!);
    expect(known!.open).toBeUndefined();
    expect(known!.name).toBe('big.bin');
    const err = await sendError(unknown!.open!(signal()));
    expect(err.code).toBe('telegram_file_too_large');
    expect(err.message).toMatch(/1 MB download limit \(TELEGRAM_MAX_DOWNLOAD_MB\)/);
    expect(err.retryable).toBe(false);
  });
});

describe('Telegram files in replies', () => {
  it('one picture goes by sendPhoto with the text as its caption, the bytes uploaded as multipart', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const png = samplePng(20_000);
    const { externalId } = await h.adapter.send(
      reply('Here is the **label**', { attachments: [outboundFile('label.png', 'image/png', png)] }),
    );
    const sent = h.fake.sentTo(alice.id);
    expect(sent).toHaveLength(1);
    expect(externalId).toBe(`${alice.id}:${sent[0]!.message_id}`);
    expect(sent[0]!.file).toMatchObject({ kind: 'photo', name: 'label.png' });
    expect(sha256(sent[0]!.file!.content)).toBe(sha256(png));
    expect(sent[0]!.shown).toBe('Here is the label');
    expect(h.fake.calls.find((c) => c.method === 'sendPhoto')).toBeDefined();
  });

  it('a PDF goes by sendDocument; several pictures as one album (sendMediaGroup) with the caption on the first', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const pdf = samplePdf(30_000);
    await h.adapter.send(reply('Your invoice', { attachments: [outboundFile('invoice.pdf', 'application/pdf', pdf)] }));
    const [doc] = h.fake.sentTo(alice.id);
    expect(doc!.file).toMatchObject({ kind: 'document', name: 'invoice.pdf' });
    expect(sha256(doc!.file!.content)).toBe(sha256(pdf));
    expect(doc!.shown).toBe('Your invoice');

    const pics = [samplePng(1000), samplePng(2000), samplePng(3000)];
    await h.adapter.send(reply('Three angles', { attachments: pics.map((p, i) => outboundFile(`p${i}.png`, 'image/png', p)) }));
    const album = h.fake.sentTo(alice.id).slice(1);
    expect(album).toHaveLength(3);
    expect(new Set(album.map((m) => m.media_group_id)).size).toBe(1);
    expect(album.map((m) => sha256(m.file!.content))).toEqual(pics.map(sha256));
    expect(album.map((m) => m.shown)).toEqual(['Three angles', '', '']);
  });

  it('pictures and documents go as two albums; a text over 1024 characters goes first, on its own', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const long = 'word '.repeat(300).trim();
    await h.adapter.send(
      reply(long, {
        attachments: [
          outboundFile('a.pdf', 'application/pdf', samplePdf(100)),
          outboundFile('b.png', 'image/png', samplePng(100)),
          outboundFile('c.pdf', 'application/pdf', samplePdf(100)),
        ],
      }),
    );
    const sent = h.fake.sentTo(alice.id);
    expect(sent.map((m) => [m.file?.kind ?? 'text', m.file?.name])).toEqual([
      ['text', undefined],
      ['photo', 'b.png'],
      ['document', 'a.pdf'],
      ['document', 'c.pdf'],
    ]);
    expect(sent[0]!.shown).toBe(long);
  });

  it('choices hang under a captioned file as an inline keyboard, and a tap comes back as choiceId', async () => {
    h = await startHarness();
    h.fake.pushMessage(alice, { text: 'hi' });
    await h.fake.waitFor(() => h.recorder.stored.length === 1);
    const choices = [
      { id: 'faq:returns', label: 'Returns' },
      { id: 'faq:shipping', label: 'Shipping' },
    ];
    await h.adapter.send(reply('Which one?', { choices, attachments: [outboundFile('map.png', 'image/png', samplePng(100))] }));
    const [sent] = h.fake.sentTo(alice.id);
    expect(sent!.file?.name).toBe('map.png');
    expect(sent!.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Returns', 'Shipping']);
    h.fake.pushCallbackQuery(alice, sent!, 'faq:shipping');
    await h.fake.waitFor(() => h.recorder.stored.length === 2 && h.fake.answeredCallbacks.length === 1, 10_000, 'tap stored');
    expect(h.recorder.stored[1]).toMatchObject({ choiceId: 'faq:shipping', text: 'Shipping' });
  });

  it('a 1–5 rating shows as one row of buttons; a press comes back as its choiceId', async () => {
    h = await startHarness();
    h.fake.pushMessage(alice, { text: 'hi' });
    await h.fake.waitFor(() => h.recorder.stored.length === 1);
    const choices = [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${n}`, label: String(n) }));
    await h.adapter.send(reply('How did we do?', { author: 'bot', choices }));
    const [sent] = h.fake.sentTo(alice.id);
    expect(sent!.reply_markup?.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([['1', '2', '3', '4', '5']]);
    h.fake.pushCallbackQuery(alice, sent!, 'csat:4');
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 10_000, 'press stored');
    expect(h.recorder.stored[1]).toMatchObject({ choiceId: 'csat:4', text: '4' });
  });

  it('refuses a file over the upload limit and more than 10 files before anything is sent', async () => {
    h = await startHarness({ maxUploadBytes: 5 * 1024 * 1024 }, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    expect(h.adapter.attachmentLimits).toEqual({ maxBytes: 5 * 1024 * 1024, maxCount: 10 });
    const big = hugeFile('video.mp4', 'video/mp4', 5 * 1024 * 1024 + 1);
    const err = await sendError(h.adapter.send(reply('see attached', { attachments: [big] })));
    expect(err).toMatchObject({ code: 'telegram_file_too_large', retryable: false });
    expect(err.message).toMatch(/video\.mp4 is 5\.0 MB; Telegram takes files up to 5 MB/);
    const many = Array.from({ length: 11 }, (_, i) => outboundFile(`f${i}.png`, 'image/png', samplePng(10)));
    expect((await sendError(h.adapter.send(reply('x', { attachments: many })))).code).toBe('telegram_too_many_files');
    expect(big.opened).toBe(0);
    expect(h.fake.sentTo(alice.id)).toHaveLength(0);
  });
});
