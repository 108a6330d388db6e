/**
 * Files both ways through the Discord fake with the real discord.js client: a customer's file
 * opens to exactly its bytes from the (fake) CDN, never from anywhere else, and files sent with
 * a reply arrive as a real multipart upload (`files[n]` next to `payload_json`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hugeFile, outboundFile, readAll, samplePdf, samplePng, sha256 } from '../support/sample-files.js';
import { sendError } from '../support/send-error.js';
import { ann, reply, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const signal = () => AbortSignal.timeout(10_000);

describe('Discord files from customers', () => {
  it('an image and a PDF open to exactly the bytes on the CDN, with their names and types', async () => {
    h = await startHarness();
    const png = samplePng(40_000);
    const pdf = samplePdf(60_000);
    const sent = h.fake.pushMessage(ann, 'photos of the damage and the receipt', {
      attachments: [
        { filename: 'damage.png', content_type: 'image/png', content: png },
        { filename: 'receipt.pdf', content_type: 'application/pdf', content: pdf },
      ],
    });
    expect(sent.attachments[0]!.url).toMatch(/^https:\/\/cdn\.discordapp\.com\/attachments\/.*\?ex=/);
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'stored');
    const [image, doc] = h.recorder.stored[0]!.attachments;
    expect(image).toMatchObject({ name: 'damage.png', mime: 'image/png', size: png.length, inline: true });
    expect(doc).toMatchObject({ name: 'receipt.pdf', mime: 'application/pdf', size: pdf.length });
    expect(doc!.inline).toBeUndefined();
    expect(sha256(await readAll(await image!.open!(signal())))).toBe(sha256(png));
    expect(sha256(await readAll(await doc!.open!(signal())))).toBe(sha256(pdf));
    expect(h.fake.cdnRequests).toHaveLength(2);
  });

  it('a file-only message is a message; a URL off the CDN is never fetched; an expired one fails clearly', async () => {
    h = await startHarness();
    const png = samplePng(100);
    h.fake.pushMessage(ann, '', { attachments: [{ filename: 'only.png', content_type: 'image/png', content: png }] });
    h.fake.pushMessage(ann, 'elsewhere', {
      attachments: [{ filename: 'x.png', content_type: 'image/png', size: 10, url: 'https://attacker.example/x.png' }],
    });
    // Known to the CDN under no bytes: as a signed URL that expired.
    h.fake.pushMessage(ann, 'gone', { attachments: [{ filename: 'gone.pdf', content_type: 'application/pdf', size: 10 }] });
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'stored');
    const [only, elsewhere, gone] = h.recorder.stored;
    expect(only!.text).toBe('');
    expect(sha256(await readAll(await only!.attachments[0]!.open!(signal())))).toBe(sha256(png));
    expect(elsewhere!.attachments[0]).toMatchObject({ name: 'x.png', url: 'https://attacker.example/x.png' });
    expect(elsewhere!.attachments[0]!.open).toBeUndefined();
    const err = await sendError(gone!.attachments[0]!.open!(signal()));
    expect(err).toMatchObject({ code: 'discord_file_download', retryable: false });
  });

  it('DISCORD_MAX_DOWNLOAD_MB: a larger file gets no open; one larger than it said is cut off while reading', async () => {
    h = await startHarness({ maxDownloadBytes: 1024 * 1024 });
    const big = Buffer.alloc(1024 * 1024 + 1, 3);
    h.fake.pushMessage(ann, 'a', { attachments: [{ filename: 'big.bin', content: big }] });
    h.fake.pushMessage(ann, 'b', { attachments: [{ filename: 'liar.bin', content: big, size: 10 }] });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 5000, 'stored');
    const [known, liar] = h.recorder.stored.map((m) => m.attachments[0]!);
    expect(known!.open).toBeUndefined();
    const err = await sendError(liar!.open!(signal()));
    expect(err).toMatchObject({ code: 'discord_file_too_large', retryable: false });
    expect(err.message).toMatch(/1 MB download limit \(DISCORD_MAX_DOWNLOAD_MB\)/);
  });
});

describe('Discord files in replies', () => {
  it('uploads files as multipart files[n] with payload_json, on the last part, with the choices', async () => {
    h = await startHarness({}, { start: false });
    const channel = h.fake.dmChannel(ann);
    const png = samplePng(30_000);
    const pdf = samplePdf(30_000);
    const choices = [
      { id: 'faq:returns', label: 'Returns' },
      { id: 'faq:shipping', label: 'Shipping' },
    ];
    const { externalId } = await h.adapter.send(
      reply(channel, 'Here are the label and the invoice', {
        choices,
        attachments: [outboundFile('label.png', 'image/png', png), outboundFile('invoice.pdf', 'application/pdf', pdf)],
      }),
    );
    const [sent] = h.fake.sentTo(channel);
    expect(sent!.id).toBe(externalId);
    expect(sent!.content).toBe('Here are the label and the invoice');
    expect(sent!.files?.map((f) => [f.key, f.filename, f.contentType])).toEqual([
      ['files[0]', 'label.png', 'image/png'],
      ['files[1]', 'invoice.pdf', 'application/pdf'],
    ]);
    expect(sent!.files!.map((f) => sha256(f.content))).toEqual([sha256(png), sha256(pdf)]);
    expect(sent!.components?.[0]?.components.map((b) => b.custom_id)).toEqual(['faq:returns', 'faq:shipping']);
  });

  it('a reply that is only a file is sent without content', async () => {
    h = await startHarness({}, { start: false });
    const channel = h.fake.dmChannel(ann);
    const pdf = samplePdf(100);
    await h.adapter.send(reply(channel, '', { attachments: [outboundFile('invoice.pdf', 'application/pdf', pdf)] }));
    const [sent] = h.fake.sentTo(channel);
    expect(sent!.content).toBe('');
    expect(sha256(sent!.files![0]!.content)).toBe(sha256(pdf));
  });

  it('refuses a file over DISCORD_MAX_UPLOAD_MB and more than 10 files before anything is sent', async () => {
    h = await startHarness({ maxUploadBytes: 8 * 1024 * 1024 }, { start: false });
    const channel = h.fake.dmChannel(ann);
    expect(h.adapter.attachmentLimits).toEqual({ maxBytes: 8 * 1024 * 1024, maxCount: 10 });
    const big = hugeFile('video.mp4', 'video/mp4', 8 * 1024 * 1024 + 1);
    const err = await sendError(h.adapter.send(reply(channel, 'see attached', { attachments: [big] })));
    expect(err).toMatchObject({ code: 'discord_file_too_large', retryable: false });
    expect(err.message).toMatch(/video\.mp4 is 8\.0 MB; Discord takes files up to 8 MB/);
    const many = Array.from({ length: 11 }, (_, i) => outboundFile(`f${i}.png`, 'image/png', samplePng(10)));
    expect((await sendError(h.adapter.send(reply(channel, 'x', { attachments: many })))).code).toBe('discord_too_many_files');
    expect(big.opened).toBe(0);
    expect(h.fake.sentTo(channel)).toHaveLength(0);
  });
});
