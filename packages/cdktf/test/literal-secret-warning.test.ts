import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack, synthJson } from './support/flavours.js';

const LITERAL_SECRET = '_literal0secret0in0code';

describe.each(flavours)('a literal secret ($name)', (flavour) => {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;

  it('adds a warning annotation that says where it lands and what to do, without the value', () => {
    const stack = newStack(flavour);
    const lacework = new LaceworkAccessToken(stack, 'lacework', {
      mode: 'http-data-source',
      account: 'acme',
      keyId: 'ACME_KEY',
      secret: LITERAL_SECRET,
    });
    const warnings = lacework.node.metadata.filter((entry) => entry.type === '@cdktf/warn');
    expect(warnings).toHaveLength(1);
    const message = String(warnings[0]?.data);
    expect(message).toContain('`secret` is a literal string');
    expect(message).toContain('cdktf.out/stacks/<stack>/cdk.tf.json');
    expect(message).toContain('LaceworkKeyVariables');
    expect(message).toContain('TF_VAR_lacework_secret');
    expect(message).not.toContain(LITERAL_SECRET);
    // It still synthesizes (as the warning says, in plain text) and stays wrapped in sensitive().
    expect(synthJson(flavour, stack).data.http.lacework.request_headers['X-LW-UAKS']).toBe(
      `\${sensitive("${LITERAL_SECRET}")}`,
    );
  });

  it('adds no warning when the secret is a variable', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    const lacework = new LaceworkAccessToken(stack, 'lacework', {
      account: 'acme',
      ...key.config(),
    });
    expect(lacework.node.metadata).toEqual([]);
  });
});
