import { describe, expect, it } from 'vitest';
import { EMAIL_REPLACEMENTS, IP_REPLACEMENTS, PHONE_REPLACEMENT, isGlobalIpv4, redactPii } from '../../main/services/pipeline/steps/pii';

// Outputs of datatrove 0.10.1's PIIFormatter().format(input), run on a fresh
// formatter per input (pipeline/formatters/pii.py, Python 3.11).
const DATATROVE_PARITY: Array<[string, string]> = [
  ['Write to abebe.kebede@example.et or ሰላም info@addis.gov.et today', 'Write to email@example.com or ሰላም firstname.lastname@example.org today'],
  ['имяjohn@x.org and 中文user@host.cn and x_a@b.co', 'имяjohn@x.org and 中文user@host.cn and email@example.com'],
  ['three: a@b.io, c@d.io, e@f.io', 'three: email@example.com, firstname.lastname@example.org, email@example.com'],
  ['literal ip: user@[192.168.0.1] here', 'literal ip: email@example.com here'],
  ['not an email: @handle, a@b, name@localhost', 'not an email: @handle, a@b, name@localhost'],
  [
    'DNS 8.8.8.8 and 1.1.1.1, local 192.168.1.1 10.0.0.5 127.0.0.1 0.0.0.0 169.254.3.4 172.16.0.1 172.31.255.255 100.64.0.1',
    'DNS 22.214.171.124 and 126.96.36.199, local 192.168.1.1 10.0.0.5 127.0.0.1 0.0.0.0 169.254.3.4 172.16.0.1 172.31.255.255 100.64.0.1',
  ],
  [
    '172.32.0.1 172.15.0.1 224.0.0.1 240.1.2.3 255.255.255.255 192.0.2.7 198.51.100.2 203.0.113.9 198.18.0.1',
    '22.214.171.124 126.96.36.199 188.8.131.52 240.1.2.3 255.255.255.255 192.0.2.7 198.51.100.2 203.0.113.9 198.18.0.1',
  ],
  // datatrove's IPv4 regex has no boundaries; kept for agreement.
  [
    '1.2.3.4.5 and 11.22.33.444 and 01.2.3.4 and 256.1.1.1 and 999.1.2.3',
    '22.214.171.124.5 and 126.96.36.1994 and 01.2.3.4 and 2188.8.131.52 and 9184.108.40.206',
  ],
  ['v1.2.3.4 ip=93.184.216.34; مرحبا 93.184.216.34', 'v22.214.171.124 ip=126.96.36.199; مرحبا 188.8.131.52'],
];

describe('redactPii: e-mail and IPv4 agree with datatrove', () => {
  it.each(DATATROVE_PARITY)('%s', (input, expected) => {
    expect(redactPii(input).text).toBe(expected);
  });

  it('exports datatrove replacement strings and counts each kind', () => {
    expect(EMAIL_REPLACEMENTS).toEqual(['email@example.com', 'firstname.lastname@example.org']);
    expect(IP_REPLACEMENTS).toHaveLength(6);
    expect(PHONE_REPLACEMENT).toBe('<PHONE>');
    const r = redactPii('a@b.io 8.8.8.8 9.9.9.9 10.0.0.1 c@d.io +251 11 551 7700');
    expect(r.counts).toEqual({ email: 2, ip: 2, phone: 1 });
    expect(r.text).toBe('email@example.com 22.214.171.124 126.96.36.199 10.0.0.1 firstname.lastname@example.org <PHONE>');
  });

  it('restarts the replacement cycle for every document (pure)', () => {
    expect(redactPii('x@y.io').text).toBe('email@example.com');
    expect(redactPii('x@y.io').text).toBe('email@example.com');
  });

  it('leaves text without PII untouched, RTL marks included', () => {
    const s = '\u200fمرحبا بالعالم\u200f ሰላም፡ዓለም क्\u200dष ภาษาไทย 😀';
    expect(redactPii(s)).toEqual({ text: s, counts: { email: 0, phone: 0, ip: 0 } });
  });
});

describe('isGlobalIpv4 (Python ipaddress is_global)', () => {
  it.each([
    ['8.8.8.8', true], ['172.32.0.1', true], ['224.0.0.1', true], ['192.0.0.9', true], ['100.128.0.1', true],
    ['10.1.2.3', false], ['192.168.0.1', false], ['127.0.0.1', false], ['0.1.2.3', false], ['169.254.1.1', false],
    ['172.16.0.1', false], ['172.31.9.9', false], ['100.64.0.1', false], ['100.127.255.255', false],
    ['192.0.0.1', false], ['240.0.0.1', false], ['255.255.255.255', false], ['01.2.3.4', false], ['1.2.3', false],
  ] as const)('%s -> %s', (ip, global) => {
    expect(isGlobalIpv4(ip)).toBe(global);
  });
});

describe('redactPii: phone numbers', () => {
  it.each([
    ['Call +251 11 551 7700 now', 'Call <PHONE> now'],
    ['ስልክ፡ +251-911-234567', 'ስልክ፡ <PHONE>'],
    ['Tel: +44 (0)20 7946 0958.', 'Tel: <PHONE>.'],
    ['+1 (202) 555-0143', '<PHONE>'],
    ['(020) 7946 0958', '<PHONE>'],
    ['202-555-0143 or 202.555.0143 or 202 555 0143', '<PHONE> or <PHONE> or <PHONE>'],
    ['1-800-555-0199', '<PHONE>'],
    ['01 23 45 67 89 and 01.23.45.67.89', '<PHONE> and <PHONE>'],
    ['0911 234567', '<PHONE>'],
    ['+2348031234567', '<PHONE>'],
    ['+34 612 345 678', '<PHONE>'],
    ['Tel:0911 23 45 67', 'Tel:<PHONE>'],
    ['هاتف: +971 4 123 4567 \u200f', 'هاتف: <PHONE> \u200f'],
    ['โทร 02-123-4567', 'โทร <PHONE>'],
  ])('redacts %s', (input, expected) => {
    const r = redactPii(input);
    expect(r.text).toBe(expected);
    expect(r.counts.phone).toBe(expected.split(PHONE_REPLACEMENT).length - 1);
  });

  it.each([
    ['years', 'Founded in 2019, renewed 1999 and 2024.'],
    ['ISO dates', 'On 2024-11-21 and 2024.11.21 and 2024/11/21'],
    ['day-first dates', 'On 21.11.2024 and 21-11-2024'],
    ['verse references', 'John 3:16, Genesis 1:1-3, ዮሐንስ 3:16-18'],
    ['number ranges', 'pages 1990-2005, 100-120 and 12345-67890'],
    ['plain long numbers', 'Population 1234567890 and ID 98765432101'],
    ['thousands with spaces or dots', '12 345 678 people, 1.234.567 euros, 7 000 000 km'],
    ['decimals', 'pi = 3.14159265358979 and 2.5 million'],
    ['times and ratios', '12:30:45 and 16:9'],
    ['short numbers', 'room 555-0143'],
    ['lists of single digits', '1-2-3-4-5-6-7-8'],
    ['ISBN', 'ISBN 978-3-16-148410-0 and 978-0-306-40615-7'],
    ['private IPs', 'router at 192.168.100.200 and 10.10.10.10'],
    ['IP remnant after datatrove', '11.22.33.444'],
    ['CAS numbers', 'water 7732-18-5'],
    ['digits glued to letters', 'SKU A12-345-6789 and B-0911-234-567'],
    ['European decimal money', '1.234.567,89 €'],
    ['too many digits', '+1234 5678 9012 3456 7890'],
  ])('keeps %s', (_name, input) => {
    const r = redactPii(input);
    expect(r.counts.phone).toBe(0);
    if (_name !== 'IP remnant after datatrove') expect(r.text).toBe(input);
  });

  it('is fast on a large document with many numbers', () => {
    const para = 'In 2019 the 3:16 page 100-120 cost 1.234.567,89 € — call +251 11 551 7700 or a@b.io from 8.8.8.8.\n';
    const big = para.repeat(Math.ceil(4_000_000 / para.length));
    const t0 = performance.now();
    const r = redactPii(big);
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(r.counts.phone).toBe(Math.ceil(4_000_000 / para.length));
  });
});
