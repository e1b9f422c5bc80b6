import { LaceworkAccessToken, type LaceworkAccessTokenConfig } from '@lacework-auth/cdktf';
import { App, TerraformStack } from 'cdktf';

export function cdktf(): string {
  const stack = new TerraformStack(new App(), 'stack');
  const config: LaceworkAccessTokenConfig = { account: 'acme', expiryTime: 900 };
  return new LaceworkAccessToken(stack, 'lacework', config).token;
}
