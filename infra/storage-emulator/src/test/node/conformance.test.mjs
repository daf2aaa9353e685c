// The official Node client (@google-cloud/storage, pinned in package.json) against the storage
// emulator at STORAGE_EMULATOR_HOST, with default options wherever a user would not set any.
// Run by NodeClientConformanceTest: node --test conformance.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';

const host = process.env.STORAGE_EMULATOR_HOST;
assert.ok(host, 'STORAGE_EMULATOR_HOST must name the emulator, e.g. http://127.0.0.1:9023');
const storage = new Storage({ apiEndpoint: host, projectId: 'conformance' });
const bucketName = `node-${process.pid}`;
const bucket = storage.bucket(bucketName);
const work = mkdtempSync(join(tmpdir(), 'node-conformance-'));

before(async () => {
  await storage.createBucket(bucketName);
});

// ApiError carries code; errors from the resumable uploader (gaxios) carry the response.
const statusOf = (e) => e.code ?? e.status ?? e.response?.status;
const md5 = (bytes) => createHash('md5').update(bytes).digest('base64');

test('a bucket is created, listed and described', async () => {
  const [buckets] = await storage.getBuckets();
  assert.ok(buckets.some((b) => b.name === bucketName));
  const [metadata] = await bucket.getMetadata();
  assert.equal(metadata.name, bucketName);
  assert.equal(metadata.storageClass, 'STANDARD');
});

test('bucket setMetadata changes labels and the links point at the emulator host', async () => {
  const [metadata] = await bucket.setMetadata({ labels: { team: 'data' } });
  assert.deepEqual(metadata.labels, { team: 'data' });
  assert.ok(metadata.selfLink.startsWith(host), metadata.selfLink);
  const [again] = await bucket.getMetadata();
  assert.deepEqual(again.labels, { team: 'data' });
});

test('save with default options stores the bytes and their md5', async () => {
  const file = bucket.file('saved.txt');
  await file.save('hello from node');
  const [contents] = await file.download();
  assert.equal(contents.toString(), 'hello from node');
  const [metadata] = await file.getMetadata();
  assert.equal(metadata.md5Hash, md5(Buffer.from('hello from node')));
  assert.ok(metadata.mediaLink.startsWith(host), metadata.mediaLink);
});

test('upload of a file with default options (resumable, one request) round-trips', async () => {
  const bytes = randomBytes(6 * 1024 * 1024 + 17);
  const path = join(work, 'upload.bin');
  writeFileSync(path, bytes);
  const [file] = await bucket.upload(path, { destination: 'uploads/upload.bin' });
  assert.equal(Number(file.metadata.size), bytes.length);
  assert.equal(file.metadata.md5Hash, md5(bytes));
  const [contents] = await file.download();
  assert.ok(contents.equals(bytes));
});

test('a large resumable upload in chunks round-trips', async () => {
  const bytes = randomBytes(3 * 256 * 1024 + 5);
  const file = bucket.file('uploads/chunked.bin');
  await pipeline(Readable.from([bytes]), file.createWriteStream({ chunkSize: 256 * 1024 }));
  const [contents] = await file.download();
  assert.ok(contents.equals(bytes));
});

test('createWriteStream with defaults and a non-ASCII odd name round-trips', async () => {
  const name = 'dir/ünïcödé name #1 ?&=+.txt';
  await pipeline(Readable.from([Buffer.from('grüße')]), bucket.file(name).createWriteStream());
  const [contents] = await bucket.file(name).download();
  assert.equal(contents.toString(), 'grüße');
  const [files] = await bucket.getFiles({ prefix: 'dir/' });
  assert.deepEqual(files.map((f) => f.name), [name]);
});

test('a multipart upload (resumable: false) with metadata round-trips', async () => {
  const file = bucket.file('multi.json');
  await file.save('{"a":1}', {
    resumable: false,
    contentType: 'application/json',
    metadata: { metadata: { origin: 'node' } },
  });
  const [metadata] = await file.getMetadata();
  assert.equal(metadata.contentType, 'application/json');
  assert.deepEqual(metadata.metadata, { origin: 'node' });
});

test('an empty object can be saved and read', async () => {
  await bucket.file('empty').save('');
  const [contents] = await bucket.file('empty').download();
  assert.equal(contents.length, 0);
});

test('a ranged download returns exactly the requested bytes', async () => {
  await bucket.file('range.txt').save('0123456789');
  const [part] = await bucket.file('range.txt').download({ start: 2, end: 5 });
  assert.equal(part.toString(), '2345');
});

test('gzip: true stores gzip content that downloads decompressed', async () => {
  const text = 'compress me '.repeat(500);
  await bucket.file('gz.txt').save(text, { gzip: true, resumable: false });
  const [metadata] = await bucket.file('gz.txt').getMetadata();
  assert.equal(metadata.contentEncoding, 'gzip');
  assert.ok(Number(metadata.size) < text.length);
  const [contents] = await bucket.file('gz.txt').download();
  assert.equal(contents.toString(), text);
});

test('an object stored gzip-encoded is served decompressed unless asked otherwise', async () => {
  const text = 'already gzipped '.repeat(100);
  await bucket
    .file('pre.gz.txt')
    .save(gzipSync(text), { resumable: false, metadata: { contentEncoding: 'gzip' } });
  const [contents] = await bucket.file('pre.gz.txt').download();
  assert.equal(contents.toString(), text);
});

test('listing honours prefix, delimiter, matchGlob, includeTrailingDelimiter and paging', async () => {
  for (const name of ['l/a.txt', 'l/b.csv', 'l/sub/c.txt', 'l/sub/', 'l/sub/d/e.txt']) {
    await bucket.file(name).save('x', { resumable: false });
  }
  const [, , top] = await bucket.getFiles({ prefix: 'l/', delimiter: '/', autoPaginate: false });
  assert.deepEqual(top.prefixes, ['l/sub/']);
  assert.deepEqual(top.items.map((i) => i.name), ['l/a.txt', 'l/b.csv']);
  const [, , trailing] = await bucket.getFiles({
    prefix: 'l/',
    delimiter: '/',
    includeTrailingDelimiter: true,
    autoPaginate: false,
  });
  assert.deepEqual(trailing.items.map((i) => i.name), ['l/a.txt', 'l/b.csv', 'l/sub/']);
  const [globbed] = await bucket.getFiles({ matchGlob: 'l/**.txt' });
  assert.deepEqual(globbed.map((f) => f.name), ['l/a.txt', 'l/sub/c.txt', 'l/sub/d/e.txt']);
  const [page, next] = await bucket.getFiles({ prefix: 'l/', maxResults: 2, autoPaginate: false });
  assert.equal(page.length, 2);
  assert.ok(next && next.pageToken);
  const names = page.map((f) => f.name);
  for (let query = next; query; ) {
    const [more, following] = await bucket.getFiles(query);
    names.push(...more.map((f) => f.name));
    query = following;
  }
  assert.deepEqual(names, ['l/a.txt', 'l/b.csv', 'l/sub/', 'l/sub/c.txt', 'l/sub/d/e.txt']);
});

test('metadata is set, merged and removed', async () => {
  const file = bucket.file('meta.txt');
  await file.save('m');
  await file.setMetadata({ metadata: { a: '1', b: '2' }, cacheControl: 'no-cache' });
  const [merged] = await file.setMetadata({ metadata: { a: null } });
  assert.deepEqual(merged.metadata, { b: '2' });
  assert.equal(merged.cacheControl, 'no-cache');
});

test('copy, move and rename keep the bytes', async () => {
  await bucket.file('orig.txt').save('original');
  await bucket.file('orig.txt').copy('copied.txt');
  await bucket.file('copied.txt').move('moved.txt');
  const [exists] = await bucket.file('copied.txt').exists();
  assert.equal(exists, false);
  const [contents] = await bucket.file('moved.txt').download();
  assert.equal(contents.toString(), 'original');
});

test('a rewrite to another storage class keeps that class', async () => {
  await bucket.file('cold.txt').save('brr');
  await bucket.file('cold.txt').setStorageClass('COLDLINE');
  const [metadata] = await bucket.file('cold.txt').getMetadata();
  assert.equal(metadata.storageClass, 'COLDLINE');
});

test('compose concatenates its sources', async () => {
  await bucket.file('p1').save('ab');
  await bucket.file('p2').save('cd');
  await bucket.combine(['p1', 'p2'], 'joined');
  const [contents] = await bucket.file('joined').download();
  assert.equal(contents.toString(), 'abcd');
});

test('a failed precondition answers 412', async () => {
  await bucket.file('pre.txt').save('v1');
  await assert.rejects(
    bucket.file('pre.txt').save('v2', { preconditionOpts: { ifGenerationMatch: 1 } }),
    (e) => statusOf(e) === 412,
  );
  await assert.rejects(
    bucket.file('pre.txt').save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    (e) => statusOf(e) === 412,
  );
  const [contents] = await bucket.file('pre.txt').download();
  assert.equal(contents.toString(), 'v1');
});

test('an upload into a missing bucket fails with 404, not a reset connection', async () => {
  const big = randomBytes(2 * 1024 * 1024);
  await assert.rejects(
    storage.bucket('no-such-bucket-here').file('x').save(big, { resumable: false }),
    (e) => statusOf(e) === 404,
  );
});

test('an unsupported call answers 501 and names the feature', async () => {
  await assert.rejects(bucket.iam.getPolicy(), (e) => statusOf(e) === 501 && /IAM/.test(e.message));
});

test('delete one, then every object, then the bucket', async () => {
  await bucket.file('saved.txt').delete();
  const [exists] = await bucket.file('saved.txt').exists();
  assert.equal(exists, false);
  await bucket.deleteFiles({ force: true });
  const [left] = await bucket.getFiles();
  assert.deepEqual(left, []);
  await bucket.delete();
  const [stillThere] = await bucket.exists();
  assert.equal(stillThere, false);
});
