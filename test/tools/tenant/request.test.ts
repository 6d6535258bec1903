import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadPlatformFile } from '../../../config/load';
import { answerChecks } from '../../../tools/tenant/answers';
import { askForMissing, missingFlags, parseGpuSpec, RequestError, requestFromFlags } from '../../../tools/tenant/request';
import { PLATFORM_FILE } from './fixtures';

const platform = loadPlatformFile(PLATFORM_FILE).value!;

describe('tenant:new flags', () => {
  test('read a GPU pool as instance types and max nodes', () => {
    expect(parseGpuSpec('g6.12xlarge,g5.12xlarge:4')).toEqual({ instanceTypes: ['g6.12xlarge', 'g5.12xlarge'], maxNodes: 4 });
  });

  test.each(['g6.xlarge', 'g6.xlarge:', ':4', 'g6.xlarge:four', 'g6.xlarge,:2'])('fail on the GPU pool %p', (spec) => {
    expect(() => parseGpuSpec(spec)).toThrow(/--gpu takes <instance type>/);
  });

  test('fail on both an account e-mail and an account id', () => {
    expect(() => requestFromFlags({ 'account-email': 'a@b.co', 'account-id': '444444444444' })).toThrow(/either --account-email .* or --account-id/);
  });

  test('fail on a pool name or capacity without a GPU pool', () => {
    expect(() => requestFromFlags({ capacity: 'spot' })).toThrow(/give --gpu/);
  });

  test('fail on a capacity other than spot or on-demand', () => {
    expect(() => requestFromFlags({ gpu: 'g6.xlarge:1', capacity: 'reserved' })).toThrow(/--capacity takes spot or on-demand, got 'reserved'/);
  });

  test('fail on a budget that is not a whole number', () => {
    expect(() => requestFromFlags({ budget: '12k' })).toThrow(RequestError);
  });

  test('name the required flags still missing', () => {
    expect(missingFlags(requestFromFlags({ owner: 'a@b.co' }))).toEqual(['--name', '--cost-center']);
    expect(missingFlags(requestFromFlags({ name: 'a', owner: 'a@b.co', 'cost-center': 'cc-1' }))).toEqual([]);
  });
});

describe('tenant:new questions', () => {
  function converse(given: Parameters<typeof askForMissing>[0], answers: string[]) {
    const input = new PassThrough();
    const output = new PassThrough();
    let transcript = '';
    output.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
    input.end(answers.map((a) => `${a}\n`).join(''));
    return askForMissing(given, platform, () => 4321, { input, output }).then((request) => ({ request, transcript }));
  }

  test('ask for every value the flags left out', async () => {
    const { request, transcript } = await converse({}, ['speech', 'speech@corp.example', 'cc-77', 'g6.xlarge:2', '9000']);
    expect(request).toMatchObject({
      name: 'speech',
      owner: 'speech@corp.example',
      costCenter: 'cc-77',
      gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 2 },
      budgetUsd: 9000,
    });
    expect(transcript).toMatch(/Tenant name/);
    expect(transcript).toMatch(/Cost center/);
  });

  test('ask only for what the flags did not give', async () => {
    const { request, transcript } = await converse({ name: 'speech', owner: 'speech@corp.example', gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 1 } }, [
      'cc-77',
      '',
    ]);
    expect(request.costCenter).toBe('cc-77');
    expect(transcript).not.toMatch(/Tenant name|Owner|GPU pool/);
  });

  test('take the default budget on an empty answer, and no GPU pool on an empty one', async () => {
    const { request, transcript } = await converse({ name: 'a', owner: 'a@b.co', costCenter: 'cc-1' }, ['', '']);
    expect(request.gpu).toBeUndefined();
    expect(request.budgetUsd).toBe(4321);
    expect(transcript).toMatch(/Monthly budget in USD \[4321\]/);
  });

  test('ask again after an answer of the wrong shape', async () => {
    const { request, transcript } = await converse({ name: 'a', owner: 'a@b.co', costCenter: 'cc-1' }, ['g6.xlarge', 'g6.xlarge:3', 'lots', '5000']);
    expect(request.gpu).toEqual({ instanceTypes: ['g6.xlarge'], maxNodes: 3 });
    expect(request.budgetUsd).toBe(5000);
    expect(transcript.match(/GPU pool as/g)).toHaveLength(2);
    expect(transcript.match(/Monthly budget/g)).toHaveLength(2);
  });

  test('check each answer when it is given: an invalid name, e-mail, cost center or pool is asked again at once, keeping the answers before it', async () => {
    const tenantsDir = mkdtempSync(path.join(tmpdir(), 'tenant-answers-'));
    try {
      writeFileSync(path.join(tenantsDir, 'taken.yaml'), 'name: taken\n');
      const input = new PassThrough();
      const output = new PassThrough();
      let transcript = '';
      output.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
      input.end(
        [
          'Speech',
          'kube-system',
          'taken',
          'speech',
          'x${file("/etc/hostname")}@corp.example',
          'speech@corp.example',
          'cc 77',
          'cc-77',
          'p5.48xlarge:2',
          'p4d.24xlarge:16',
          'g6.xlarge:2',
          '',
        ]
          .map((a) => `${a}\n`)
          .join(''),
      );
      const request = await askForMissing({}, platform, () => 4321, { input, output }, answerChecks(platform, tenantsDir));
      expect(request).toMatchObject({
        name: 'speech',
        owner: 'speech@corp.example',
        costCenter: 'cc-77',
        gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 2 },
        budgetUsd: 4321,
      });
      // Each complaint follows its question on the same line (the answers are not echoed).
      const complaints = transcript.split('\n').flatMap((line) => line.match(/: {3}(.*)$/)?.[1] ?? []);
      expect(complaints).toEqual([
        expect.stringContaining('tenant name must be a lowercase DNS label'),
        "'kube-system' is reserved for the platform; choose another name",
        expect.stringContaining("tenant 'taken' already exists"),
        expect.stringContaining('must be an e-mail address'),
        expect.stringContaining('must be a cost-center code'),
        expect.stringContaining('p5.48xlarge is not an allowed GPU instance type'),
        '16 nodes of up to 8 GPUs make 128 GPUs, over the platform cap of 64 per tenant; at most 8 nodes',
      ]);
    } finally {
      rmSync(tenantsDir, { recursive: true, force: true });
    }
  });

  test('ask again for an empty required value', async () => {
    const { request } = await converse({ owner: 'a@b.co', costCenter: 'cc-1', budgetUsd: 1, gpu: { instanceTypes: ['g6.xlarge'], maxNodes: 1 } }, [
      '',
      'named',
    ]);
    expect(request.name).toBe('named');
  });

  test('fail when the input ends before every value is given', async () => {
    await expect(converse({}, ['speech'])).rejects.toThrow(/input ended before every value was given/);
  });
});
