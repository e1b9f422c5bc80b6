import { afterEach, describe, expect, it } from 'vitest';
import { INSTALL_TERRAFORM, requireTerraform } from './support/terraform.js';

// The end-to-end tests call requireTerraform() first: without Terraform they must fail loudly
// with install instructions, never skip.

const original = process.env.TERRAFORM_BIN;
afterEach(() => {
  if (original === undefined) delete process.env.TERRAFORM_BIN;
  else process.env.TERRAFORM_BIN = original;
});

describe('Terraform on PATH', () => {
  it('fails with install instructions when terraform is missing', async () => {
    process.env.TERRAFORM_BIN = '/nonexistent/terraform';
    await expect(requireTerraform()).rejects.toThrow(INSTALL_TERRAFORM);
    expect(INSTALL_TERRAFORM).toMatch(
      /Terraform 1\.11[\s\S]*releases\.hashicorp\.com\/terraform\/1\.11/,
    );
  });

  it('finds the Terraform these tests run (1.11 on this machine)', async () => {
    expect(await requireTerraform()).toMatch(/^1\.\d+\.\d+/);
  });
});
